package io.microcanary.support.problem;

import io.microcanary.support.web.Templates;

/** The error as a page, for browsers (src/main/jte/problem.jte); every value is escaped. */
final class ProblemPage {

    private static final Templates TEMPLATES = new Templates(ProblemPage.class);

    private ProblemPage() {
    }

    /** @return the page, UTF-8 */
    static byte[] render(Problem problem) {
        return TEMPLATES.render("problem.jte", problem);
    }
}
