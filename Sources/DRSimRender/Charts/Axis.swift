import Foundation

/// What an axis measures, so that its label carries the unit and its ticks read naturally.
public enum Quantity: Sendable, Equatable {
    /// A duration in seconds, shown in s, min or h, whichever suits the axis's range.
    case seconds
    /// A share in [0, 1], shown in percent.
    case fraction
    /// A count or any other plain number, with its unit's name ("writes", "req"; empty for none).
    case plain(String)
}

/// Tick positions at nice numbers: 1, 2 or 5 times a power of ten apart.
public enum NiceNumbers {
    /// The nice step for about `count` intervals over `span` (> 0).
    public static func step(span: Double, count: Int) -> Double {
        let raw = span / Double(max(1, count))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let m = raw / magnitude
        let nice: Double = m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Whether `v` is a whole multiple of 1, 2 or 5 times a power of ten (0 counts): what tests check.
    public static func isNice(_ v: Double, step: Double) -> Bool {
        guard v.isFinite, step > 0 else { return false }
        let k = v / step
        return abs(k - k.rounded()) < 1e-6
    }

    /// Decimals needed to print multiples of `step` exactly.
    static func decimals(_ step: Double) -> Int { max(0, Int((-log10(step) - 1e-9).rounded(.up))) }
}

/// An axis laid out: its domain (in data units, widened to whole ticks), the display unit, the ticks
/// and their labels, and the mapping to pixels.
struct Axis {
    let label: String
    let quantity: Quantity
    /// Data units per display unit (60 for minutes shown from seconds, 0.01 for percent from fractions).
    let factor: Double
    let unit: String
    let lo: Double, hi: Double
    let step: Double
    let ticks: [Double]
    let decimals: Int
    var pixelLo = 0.0, pixelHi = 1.0

    /// - Parameters:
    ///   - lo, hi: the data's range in data units; widened to nice tick values (a zero-width range is
    ///     widened to one display unit).
    ///   - ticks: about how many intervals between ticks.
    ///   - fixed: keep `lo`…`hi` exactly (for fractions, 0…1) instead of widening to ticks.
    init(label: String, quantity: Quantity, lo: Double, hi: Double, ticks count: Int = 6, fixed: Bool = false) {
        self.label = label
        self.quantity = quantity
        var lo = lo.isFinite ? lo : 0
        var hi = hi.isFinite ? hi : 1
        if hi < lo { swap(&lo, &hi) }
        switch quantity {
        case .seconds:
            let top = max(abs(lo), abs(hi))
            (factor, unit) =
                top <= 180 ? (1, "s") : top <= 3 * 3600 ? (60, "min") : top <= 3 * 86_400 ? (3600, "h") : (86_400, "d")
        case .fraction: (factor, unit) = (0.01, "%")
        case .plain(let u): (factor, unit) = (1, u)
        }
        var a = lo / factor
        var b = hi / factor
        if b - a < 1e-12 {
            if a == 0 {
                b = 1
            } else {
                a -= abs(a) * 0.1 + 0.5
                b += abs(b) * 0.1 + 0.5
            }
        }
        let step = NiceNumbers.step(span: b - a, count: count)
        if !fixed {
            a = (a / step).rounded(.down) * step
            b = (b / step).rounded(.up) * step
        }
        self.step = step
        decimals = NiceNumbers.decimals(step)
        var t: [Double] = []
        var k = (a / step - 1e-9).rounded(.up)
        while k * step <= b + step * 1e-9 {
            t.append(k * step)
            k += 1
        }
        ticks = t
        self.lo = a * factor
        self.hi = b * factor
    }

    /// The axis title with its unit: "RTO (min)".
    var title: String { unit.isEmpty ? label : "\(label) (\(unit))" }

    /// A tick's label (ticks are in display units).
    func tickLabel(_ t: Double) -> String { Axis.format(t, decimals: decimals) }

    /// A value in data units as display text with the unit: "6.6 min", "99.2 %".
    func valueText(_ v: Double) -> String {
        let d = v / factor
        return Axis.compact(d) + (unit.isEmpty ? "" : unit == "%" ? "%" : " " + unit)
    }

    /// Pixel position of a value in data units.
    func map(_ v: Double) -> Double {
        let span = hi - lo
        guard span > 0 else { return pixelLo }
        return pixelLo + (v - lo) / span * (pixelHi - pixelLo)
    }

    static func format(_ v: Double, decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", v == 0 ? 0 : v)
        return s == "-0" ? "0" : s
    }

    /// About three significant figures, trailing zeros dropped, no exponent for everyday values.
    static func compact(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e6 || a < 1e-3 { return String(format: "%.3g", v) }
        var s = a >= 100 ? String(format: "%.0f", v) : a >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}

/// Keeps a polyline's look while dropping points that fall on the same pixel column: per column, the
/// first, lowest, highest and last point, in their order. A 20,000-point timeline becomes a path of a
/// few thousand points at most, and no spike is lost.
func simplified(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
    guard points.count > 4 else { return points }
    var out: [(x: Double, y: Double)] = []
    var column: [(x: Double, y: Double)] = []
    var key = Double.nan
    func flush() {
        guard !column.isEmpty else { return }
        let lo = column.indices.min { column[$0].y < column[$1].y }!
        let hi = column.indices.max { column[$0].y < column[$1].y }!
        var keep = Set([0, lo, hi, column.count - 1])
        if keep.count == column.count { keep = Set(column.indices) }
        for i in keep.sorted() {
            if let last = out.last, last.x == column[i].x, last.y == column[i].y { continue }
            out.append(column[i])
        }
        column.removeAll(keepingCapacity: true)
    }
    for p in points {
        let k = (p.x * 2).rounded()
        if k != key {
            flush()
            key = k
        }
        column.append(p)
    }
    flush()
    // Drop the middle of runs of equal y (plateaus), which add nothing.
    var compact: [(x: Double, y: Double)] = []
    for (i, p) in out.enumerated() {
        if i > 0, i < out.count - 1, out[i - 1].y == p.y, out[i + 1].y == p.y { continue }
        compact.append(p)
    }
    return compact
}
