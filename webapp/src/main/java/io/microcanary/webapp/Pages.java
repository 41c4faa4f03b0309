package io.microcanary.webapp;

import jakarta.inject.Singleton;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static io.microcanary.support.web.Html.escape;

/** The front end's pages, rendered on the server with every value escaped; the report chart is inline SVG. */
@Singleton
class Pages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    String home() {
        return layout("micro", "<h1>micro</h1><ul class=\"links\"><li><a href=\"/add\">Add two numbers</a></li>"
                + "<li><a href=\"/audit\">Calculation history</a></li><li><a href=\"/report\">Report</a></li></ul>");
    }

    String addForm(String first, String second, String result, String problem) {
        return layout("Add", "<h1>Add</h1>"
                + (problem == null ? "" : "<p class=\"problem\">" + escape(problem) + "</p>")
                + "<form method=\"post\" action=\"/add/calculate\"><input id=\"first\" name=\"first\" value=\""
                + escape(first) + "\" inputmode=\"numeric\"> + <input id=\"second\" name=\"second\" value=\""
                + escape(second) + "\" inputmode=\"numeric\"> <button type=\"submit\">=</button></form>"
                + "<p class=\"result\">result = " + escape(result) + "</p>");
    }

    String audit(List<Downstream.AuditEntry> entries) {
        StringBuilder body = new StringBuilder("<h1>Calculation History</h1>");
        if (entries.isEmpty()) {
            body.append("<p class=\"empty\">No calculations yet.</p>");
        }
        body.append("<ul class=\"audit\">");
        for (Downstream.AuditEntry entry : entries) {
            body.append("<li><time>").append(entry.ts() == null ? "" : escape(TIME.format(entry.ts()))).append("</time> ")
                    .append("<span class=\"calc\">").append(escape(entry.calc())).append(" = ")
                    .append(entry.result()).append("</span></li>");
        }
        return layout("Calculation History", body.append("</ul>").toString());
    }

    /** URL counts as a horizontal bar chart, most visited first. */
    String report(Map<String, Long> counts) {
        StringBuilder body = new StringBuilder("<h1>Report</h1>");
        if (counts.isEmpty()) {
            return layout("Report", body.append("<p class=\"empty\">No page views yet.</p>").toString());
        }
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
        int rowHeight = 28;
        body.append("<svg class=\"chart\" role=\"img\" aria-label=\"page views per URL\" xmlns=\"http://www.w3.org/2000/svg\""
                + " width=\"100%\" viewBox=\"0 0 640 ").append(counts.size() * rowHeight + 10).append("\">");
        int row = 0;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            int y = 5 + row++ * rowHeight;
            long width = Math.max(2, Math.round(400.0 * entry.getValue() / max));
            body.append("<g class=\"bar\" data-url=\"").append(escape(entry.getKey())).append("\">")
                    .append("<text x=\"0\" y=\"").append(y + 17).append("\">").append(escape(entry.getKey())).append("</text>")
                    .append("<rect x=\"180\" y=\"").append(y).append("\" width=\"").append(width)
                    .append("\" height=\"22\" fill=\"#2b6cb0\"/>")
                    .append("<text x=\"").append(186 + width).append("\" y=\"").append(y + 17).append("\">")
                    .append(entry.getValue()).append("</text></g>");
        }
        return layout("Report", body.append("</svg>").toString());
    }

    String unavailable(String what) {
        return layout("Unavailable", "<h1>Unavailable</h1><p class=\"problem\">" + escape(what)
                + " is unavailable right now. Please try again shortly.</p><p><a href=\"/\">Back</a></p>");
    }

    private static String layout(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                + "</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body>"
                + "<nav><a href=\"/\">Home</a> <a href=\"/add\">Add</a> <a href=\"/audit\">Audit</a> <a href=\"/report\">Report</a></nav>"
                + "<main>" + body + "</main></body></html>";
    }
}
