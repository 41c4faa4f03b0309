package io.microcanary.support.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import java.util.Map;

/**
 * Renders a module's jte templates. The jte-maven-plugin compiles each {@code src/main/jte/*.jte} to a Java class at
 * build time, so nothing is parsed or compiled at run time, and {@code ${value}} escapes for HTML wherever it stands:
 * no value a page shows is trusted markup.
 */
public final class Templates {

    private final TemplateEngine engine;

    /** @param owner a class in the package the module's templates are compiled into (the plugin's packageName) */
    public Templates(Class<?> owner) {
        this.engine = TemplateEngine.createPrecompiled(null, ContentType.Html, owner.getClassLoader(),
                owner.getPackageName());
    }

    /** @param template the file name under src/main/jte, e.g. {@code "products.jte"}; its one parameter is the model */
    public String render(String template, Object model) {
        StringOutput output = new StringOutput();
        engine.render(template, model, output);
        return output.toString();
    }

    /** A template without parameters. */
    public String render(String template) {
        StringOutput output = new StringOutput();
        engine.render(template, Map.of(), output);
        return output.toString();
    }
}
