import Foundation

/// Inline SVG charts for the HTML reports: no script, no network, no fonts to
/// fetch. Every chart is a pure function of its data, so a report is
/// byte-identical for identical inputs.
public enum SVGChart {
    /// Okabe–Ito: eight colours told apart with every common colour-vision deficiency.
    public static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    public static func colour(_ i: Int) -> String { palette[i % palette.count] }

    /// One line of a line chart.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// Optional error band / whiskers per point (low, high), same count as `points`.
        public var bounds: [(low: Double, high: Double)]?

        public init(name: String, points: [(x: Double, y: Double)], bounds: [(low: Double, high: Double)]? = nil) {
            self.name = name
            self.points = points
            self.bounds = bounds
        }
    }

    /// One bar of a bar chart, with an optional interval drawn as a whisker.
    public struct Bar: Sendable, Equatable {
        public var label: String
        public var value: Double
        public var low: Double?
        public var high: Double?
        public init(label: String, value: Double, low: Double? = nil, high: Double? = nil) {
            self.label = label
            self.value = value
            self.low = low
            self.high = high
        }
    }

    /// Layout of every chart: a plot area inside margins for the axes and legend.
    struct Frame {
        var width = 560.0, height = 300.0
        var left = 64.0, right = 16.0, top = 30.0, bottom = 46.0
        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
    }

    /// "Nice" axis ticks (steps of 1, 2 or 5 × 10ᵏ) covering [low, high].
    public static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite else { return [0] }
        if high <= low { return [low] }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = ceil(low / step - 1e-9)
        var ticks: [Double] = []
        var k = 0.0
        while (first + k) * step <= high + step * 1e-9 {
            let t = (first + k) * step
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            k += 1
        }
        return ticks
    }

    /// The axis range for data in [low, high]: widened to nice ticks, and to
    /// include 0 when `fromZero`.
    static func range(_ low: Double, _ high: Double, fromZero: Bool) -> (Double, Double) {
        var lo = fromZero ? min(0, low) : low
        var hi = fromZero ? max(0, high) : high
        if hi <= lo { (lo, hi) = lo == 0 ? (0, 1) : (lo - abs(lo) * 0.1, hi + abs(hi) * 0.1) }
        let t = ticks(lo, hi)
        if t.count >= 2 {
            let step = t[1] - t[0]
            lo = min(lo, floor(lo / step + 1e-9) * step)
            hi = max(hi, ceil(hi / step - 1e-9) * step)
        }
        return (lo, hi)
    }

    /// A short label for an axis tick.
    public static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 || a < 1e-3 {
            let exponent = Int(floor(log10(a)))
            return CSVNumber.fixed(v / pow(10, Double(exponent)), digits: 1) + "e" + String(exponent)
        }
        if v == v.rounded() { return String(Int64(v)) }
        var s = CSVNumber.fixed(v, digits: a >= 100 ? 1 : a >= 1 ? 2 : 3)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func f(_ v: Double) -> String { CSVNumber.fixed(v, digits: 1) }

    private static func open(_ frame: Frame, title: String, label: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(frame.width)) \(Int(frame.height))" \
        width="\(Int(frame.width))" height="\(Int(frame.height))" role="img" aria-label="\(escape(label))" class="chart">
        <text x="\(f(frame.width / 2))" y="18" text-anchor="middle" class="title">\(escape(title))</text>

        """
    }

    private static func yAxis(_ frame: Frame, _ lo: Double, _ hi: Double, label: String) -> String {
        var out = ""
        let y = { (v: Double) in frame.top + frame.plotHeight * (1 - (v - lo) / (hi - lo)) }
        for t in ticks(lo, hi) {
            out += "<line x1=\"\(f(frame.left))\" x2=\"\(f(frame.left + frame.plotWidth))\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" class=\"grid\"/>"
            out += "<text x=\"\(f(frame.left - 6))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\" class=\"tick\">\(escape(Self.label(t)))</text>\n"
        }
        out += "<text transform=\"translate(14 \(f(frame.top + frame.plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">\(escape(label))</text>\n"
        out += "<line x1=\"\(f(frame.left))\" x2=\"\(f(frame.left))\" y1=\"\(f(frame.top))\" y2=\"\(f(frame.top + frame.plotHeight))\" class=\"axisline\"/>\n"
        return out
    }

    /// Legend entries laid out in rows above the plot area: (x, row) per name.
    private static func legendLayout(_ names: [String], frame: Frame) -> [(x: Double, row: Int)] {
        var out: [(x: Double, row: Int)] = []
        var x = frame.left
        var row = 0
        for name in names {
            let width = 22 + Double(name.count) * 6.2
            if x + width > frame.width - frame.right, x > frame.left { x = frame.left; row += 1 }
            out.append((x, row))
            x += width
        }
        return out
    }

    private static func legend(_ names: [String], frame: Frame) -> String {
        guard names.count > 1 else { return "" }
        var out = ""
        for (i, (name, place)) in zip(names, legendLayout(names, frame: frame)).enumerated() {
            let y = 36 + Double(place.row) * 14
            out += "<rect x=\"\(f(place.x))\" y=\"\(f(y - 7))\" width=\"12\" height=\"8\" fill=\"\(colour(i))\"/>"
            out += "<text x=\"\(f(place.x + 16))\" y=\"\(f(y))\" class=\"legend\">\(escape(name))</text>\n"
        }
        return out
    }

    /// A line chart; `step` draws each series as a right-continuous step
    /// function (CDFs, counts between samples). Bounds become a shaded band.
    public static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String,
                             step: Bool = false, yFromZero: Bool = true, xCategories: [String]? = nil) -> String {
        var frame = Frame()
        if series.count > 1 {
            let rows = (legendLayout(series.map(\.name), frame: frame).last?.row ?? 0) + 1
            frame.top += Double(rows) * 14 + 4
            frame.height += Double(rows) * 14 + 4
        }
        let all = series.flatMap(\.points)
        let bounds = series.flatMap { $0.bounds ?? [] }
        guard !all.isEmpty else { return emptyChart(title: title) }
        let xs = all.map(\.x)
        let ys = all.map(\.y) + bounds.flatMap { [$0.low, $0.high] }
        let (xlo, xhi) = xCategories != nil ? (xs.min() ?? 0, xs.max() ?? 1) : range(xs.min() ?? 0, xs.max() ?? 1, fromZero: false)
        let (ylo, yhi) = range(ys.min() ?? 0, ys.max() ?? 1, fromZero: yFromZero)
        let xspan = xhi > xlo ? xhi - xlo : 1
        let pad = xCategories != nil ? 0.5 : 0
        let px = { (v: Double) in frame.left + frame.plotWidth * (v - xlo + pad) / (xspan + 2 * pad) }
        let py = { (v: Double) in frame.top + frame.plotHeight * (1 - (v - ylo) / (yhi - ylo)) }

        var out = open(frame, title: title, label: "\(title): \(yLabel) against \(xLabel)")
        out += yAxis(frame, ylo, yhi, label: yLabel)
        let base = frame.top + frame.plotHeight
        out += "<line x1=\"\(f(frame.left))\" x2=\"\(f(frame.left + frame.plotWidth))\" y1=\"\(f(base))\" y2=\"\(f(base))\" class=\"axisline\"/>\n"
        if let categories = xCategories {
            for (i, c) in categories.enumerated() {
                out += "<text x=\"\(f(px(Double(i))))\" y=\"\(f(base + 16))\" text-anchor=\"middle\" class=\"tick\">\(escape(c))</text>\n"
            }
        } else {
            for t in ticks(xlo, xhi) {
                out += "<text x=\"\(f(px(t)))\" y=\"\(f(base + 16))\" text-anchor=\"middle\" class=\"tick\">\(escape(label(t)))</text>\n"
            }
        }
        out += "<text x=\"\(f(frame.left + frame.plotWidth / 2))\" y=\"\(f(frame.height - 8))\" text-anchor=\"middle\" class=\"axis\">\(escape(xLabel))</text>\n"

        for (i, s) in series.enumerated() {
            let colour = colour(i)
            if let b = s.bounds, b.count == s.points.count, !b.isEmpty {
                let upper = zip(s.points, b).map { "\(f(px($0.0.x))),\(f(py($0.1.high)))" }
                let lower = zip(s.points, b).reversed().map { "\(f(px($0.0.x))),\(f(py($0.1.low)))" }
                out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
                for (p, w) in zip(s.points, b) {
                    out += "<line x1=\"\(f(px(p.x)))\" x2=\"\(f(px(p.x)))\" y1=\"\(f(py(w.low)))\" y2=\"\(f(py(w.high)))\" stroke=\"\(colour)\" stroke-width=\"1\"/>"
                }
                out += "\n"
            }
            var path = ""
            for (j, p) in s.points.enumerated() {
                if j == 0 {
                    path += "M\(f(px(p.x))),\(f(py(p.y)))"
                } else if step {
                    path += " H\(f(px(p.x))) V\(f(py(p.y)))"
                } else {
                    path += " L\(f(px(p.x))),\(f(py(p.y)))"
                }
            }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\" class=\"series\" data-series=\"\(escape(s.name))\"/>\n"
            if s.points.count <= 24 {
                for p in s.points { out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(colour)\"/>" }
                out += "\n"
            }
        }
        out += legend(series.map(\.name), frame: frame)
        return out + "</svg>\n"
    }

    /// Vertical bars with the interval [low, high] as a whisker (95% CI).
    public static func bars(_ bars: [Bar], title: String, yLabel: String) -> String {
        var frame = Frame()
        frame.bottom = 70
        guard !bars.isEmpty else { return emptyChart(title: title) }
        let values = bars.flatMap { [$0.value] + [$0.low, $0.high].compactMap { $0 } }
        let (ylo, yhi) = range(values.min() ?? 0, values.max() ?? 1, fromZero: true)
        let py = { (v: Double) in frame.top + frame.plotHeight * (1 - (v - ylo) / (yhi - ylo)) }
        var out = open(frame, title: title, label: "\(title): \(yLabel) by scheduler")
        out += yAxis(frame, ylo, yhi, label: yLabel)
        let slot = frame.plotWidth / Double(bars.count)
        let width = min(48, slot * 0.7)
        let zero = py(0)
        out += "<line x1=\"\(f(frame.left))\" x2=\"\(f(frame.left + frame.plotWidth))\" y1=\"\(f(zero))\" y2=\"\(f(zero))\" class=\"axisline\"/>\n"
        for (i, bar) in bars.enumerated() {
            let cx = frame.left + slot * (Double(i) + 0.5)
            let top = min(py(bar.value), zero), height = abs(py(bar.value) - zero)
            out += "<rect x=\"\(f(cx - width / 2))\" y=\"\(f(top))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"\(colour(i))\" class=\"bar\" data-label=\"\(escape(bar.label))\" data-value=\"\(CSVNumber.fixed(bar.value))\"><title>\(escape(bar.label)): \(escape(label(bar.value)))</title></rect>\n"
            if let low = bar.low, let high = bar.high {
                let (a, b) = (py(low), py(high))
                out += "<path d=\"M\(f(cx)),\(f(a)) V\(f(b)) M\(f(cx - 6)),\(f(a)) H\(f(cx + 6)) M\(f(cx - 6)),\(f(b)) H\(f(cx + 6))\" stroke=\"#222\" stroke-width=\"1.4\" fill=\"none\" class=\"whisker\"/>\n"
            }
            let base = frame.top + frame.plotHeight
            out += "<text transform=\"translate(\(f(cx + 4)) \(f(base + 10))) rotate(35)\" class=\"tick\">\(escape(bar.label))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func emptyChart(title: String) -> String {
        let frame = Frame()
        return open(frame, title: title, label: "\(title): no data")
            + "<text x=\"\(f(frame.width / 2))\" y=\"\(f(frame.height / 2))\" text-anchor=\"middle\" class=\"axis\">no data</text>\n</svg>\n"
    }
}
