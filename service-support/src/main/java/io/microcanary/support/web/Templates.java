package io.microcanary.support.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;

import java.util.Map;

/**
 * Renders a module's jte templates. The jte-maven-plugin compiles each {@code src/main/jte/*.jte} to a Java class at
 * build time, so nothing is parsed or compiled at run time, and {@code ${value}} escapes for HTML wherever it stands:
 * no value a page shows is trusted markup. The plugin also encodes the templates' fixed text as UTF-8 at build time
 * ({@code binaryStaticContent}), so a page is written straight to bytes: the response body, with no string between.
 */
public final class Templates {

    /**
     * Room for the pieces a page is written in (each fixed text, each value; the add form has about 30) before the
     * list grows: jte's default room for 512 allocates 2 KB per page, a sixteenth of what a calculation allocates.
     */
    private static final int PIECES = 64;

    private final TemplateEngine engine;

    /** @param owner a class in the package the module's templates are compiled into (the plugin's packageName) */
    public Templates(Class<?> owner) {
        // jte finds precompiled templates through the context class loader of the thread that creates the engine
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(owner.getClassLoader());
        try {
            this.engine = TemplateEngine.createPrecompiled(null, ContentType.Html, owner.getClassLoader(),
                    owner.getPackageName());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * @param template the file name under src/main/jte, e.g. {@code "products.jte"}; its one parameter is the model
     * @return the page, UTF-8
     */
    public byte[] render(String template, Object model) {
        Utf8ByteOutput output = new Utf8ByteOutput(PIECES);
        engine.render(template, model, output);
        return output.toByteArray();
    }

    /** A template without parameters. */
    public byte[] render(String template) {
        Utf8ByteOutput output = new Utf8ByteOutput(PIECES);
        engine.render(template, Map.of(), output);
        return output.toByteArray();
    }
}
