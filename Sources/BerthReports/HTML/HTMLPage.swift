import Foundation

/// A self-contained HTML document: inline CSS and inline SVG, no script, no
/// external resource (fonts, images, styles), so it opens offline and can be
/// attached to a CI run as a single file.
public struct HTMLPage: Sendable {
    public var title: String
    public var subtitle: String
    private var body = ""

    public init(title: String, subtitle: String = "") {
        self.title = title
        self.subtitle = subtitle
    }

    public mutating func heading(_ text: String, level: Int = 2, id: String? = nil) {
        let anchor = id.map { " id=\"\(SVGChart.escape($0))\"" } ?? ""
        body += "<h\(level)\(anchor)>\(SVGChart.escape(text))</h\(level)>\n"
    }

    public mutating func paragraph(_ text: String) {
        body += "<p>\(SVGChart.escape(text))</p>\n"
    }

    /// Charts side by side, wrapping on narrow windows.
    public mutating func charts(_ svgs: [String]) {
        guard !svgs.isEmpty else { return }
        body += "<div class=\"charts\">\n" + svgs.map { "<figure>\($0)</figure>\n" }.joined() + "</div>\n"
    }

    /// A table; numeric-looking cells are right-aligned.
    public mutating func table(header: [String], rows: [[String]], caption: String? = nil) {
        var out = "<table>\n"
        if let caption { out += "<caption>\(SVGChart.escape(caption))</caption>\n" }
        out += "<thead><tr>" + header.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>" + row.map { cell in
                let numeric = !cell.isEmpty && Double(cell.replacingOccurrences(of: "±", with: "").trimmingCharacters(in: .whitespaces)) != nil
                return numeric ? "<td class=\"n\">\(SVGChart.escape(cell))</td>" : "<td>\(SVGChart.escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        body += out + "</tbody>\n</table>\n"
    }

    public func rendered() -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="berth">
        <title>\(SVGChart.escape(title))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <header><h1>\(SVGChart.escape(title))</h1><p class="sub">\(SVGChart.escape(subtitle))</p></header>
        <main>
        \(body)</main>
        </body>
        </html>

        """
    }

    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
        header { background: #102a43; color: #fff; padding: 14px 24px; }
        header h1 { margin: 0; font-size: 22px; }
        header .sub { margin: 4px 0 0; color: #c8d6e5; font-size: 13px; }
        main { padding: 8px 24px 32px; }
        h2 { font-size: 18px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 28px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        p { font-size: 13px; max-width: 70em; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px; }
        figure { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 4px; }
        svg.chart { display: block; font-size: 11px; }
        svg .title { font-size: 13px; font-weight: 600; }
        svg .tick { fill: #444; font-size: 10px; }
        svg .axis { fill: #222; font-size: 11px; }
        svg .legend { fill: #222; font-size: 10px; }
        svg .grid { stroke: #e6e6e6; stroke-width: 1; }
        svg .axisline { stroke: #555; stroke-width: 1; }
        table { border-collapse: collapse; font-size: 12px; margin: 8px 0 16px; background: #fff; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; }
        th { background: #eef2f6; text-align: left; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        """
}
