package io.microcanary.support.problem;

import static io.microcanary.support.web.Html.escape;

/** The error as a page, for browsers; every value is escaped. */
final class ProblemPage {

    private ProblemPage() {
    }

    static String render(Problem problem) {
        StringBuilder html = new StringBuilder()
                .append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(problem.status()).append(' ').append(escape(problem.title()))
                .append("</title></head><body><h1>").append(problem.status()).append(' ')
                .append(escape(problem.title())).append("</h1>");
        if (problem.detail() != null) {
            html.append("<p>").append(escape(problem.detail())).append("</p>");
        }
        if (problem.violations() != null && !problem.violations().isEmpty()) {
            html.append("<ul>");
            problem.violations().forEach(v -> html.append("<li>").append(escape(v.field())).append(": ")
                    .append(escape(v.message())).append("</li>"));
            html.append("</ul>");
        }
        return html.append("<p><a href=\"/\">Back to the start page</a></p></body></html>").toString();
    }
}
