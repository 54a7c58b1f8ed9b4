/// Colours and line styles that survive colour blindness and greyscale printing.
///
/// Series colours are Okabe and Ito's palette (2008), designed to stay distinct under the common colour
/// vision deficiencies. Colour is never the only cue: each series also has its own dash pattern and
/// marker, so a greyscale print still tells them apart. Continuous values use viridis (van der Walt and
/// Smith, matplotlib), whose lightness rises monotonically, so greyscale keeps the order.
public enum Palette {
    public static let ink = "#1a1a1a"
    public static let grid = "#d9d9d9"
    public static let axis = "#4d4d4d"
    public static let muted = "#595959"
    public static let target = "#d55e00"
    public static let band = "#7a7a7a"

    /// Okabe–Ito, darkest first (black, blue, vermillion, bluish green, reddish purple, orange, sky blue).
    public static let series = ["#000000", "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]
    /// Dash patterns paired with `series`: solid first, then patterns that differ in greyscale.
    public static let dashes: [String?] = [nil, "7 3", "2 2", "9 3 2 3", "4 4", "1 3", "12 4"]
    public enum Marker: CaseIterable { case circle, square, triangle, diamond }

    public static func colour(_ i: Int) -> String { series[i % series.count] }

    /// Fills for areas that stack or sit side by side (a bar's segments), with the white gap drawn
    /// between them: Okabe–Ito's eight colours, blue first (black last, as a fill it hides its label),
    /// then two greys, so that ten stages have ten fills. Their lightness differs from one to the next,
    /// so neighbours stay apart in greyscale too; the chart labels every segment wide enough to hold it.
    public static let fills = [
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000", "#999999", "#5c5c5c",
    ]

    public static func fill(_ i: Int) -> String { fills[i % fills.count] }

    /// Whether text on `fill` (`#rrggbb`) should be white: its relative luminance is low.
    public static func isDark(_ fill: String) -> Bool {
        let hex = fill.dropFirst()
        guard hex.count == 6, let v = Int(hex, radix: 16) else { return false }
        let c = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { Double($0) / 255 }
        return luminance((c[0], c[1], c[2])) < 0.45
    }

    /// Relative luminance of an sRGB colour (channels in [0, 1]), as Rec. 709 weighs them.
    static func luminance(_ rgb: (Double, Double, Double)) -> Double {
        0.2126 * rgb.0 + 0.7152 * rgb.1 + 0.0722 * rgb.2
    }
    public static func dash(_ i: Int) -> String? { dashes[i % dashes.count] }
    public static func marker(_ i: Int) -> Marker { Marker.allCases[i % Marker.allCases.count] }

    /// viridis at eleven stops (matplotlib's colour map), interpolated linearly in sRGB.
    static let viridis: [(Double, Double, Double)] = [
        (0.267, 0.005, 0.329), (0.283, 0.141, 0.458), (0.254, 0.265, 0.530), (0.207, 0.372, 0.553),
        (0.164, 0.471, 0.558), (0.128, 0.567, 0.551), (0.135, 0.659, 0.518), (0.267, 0.749, 0.441),
        (0.478, 0.821, 0.318), (0.741, 0.873, 0.150), (0.993, 0.906, 0.144),
    ]

    /// The sequential colour for `t` in [0, 1] (clamped), as `#rrggbb`, and whether text on it should be
    /// light (its luminance is low).
    public static func sequential(_ t: Double) -> (fill: String, lightText: Bool) {
        let u = t.isFinite ? min(1, max(0, t)) : 0
        let pos = u * Double(viridis.count - 1)
        let i = min(viridis.count - 2, Int(pos))
        let f = pos - Double(i)
        let a = viridis[i]
        let b = viridis[i + 1]
        let rgb = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f)
        func hex(_ c: Double) -> String {
            let v = Int((min(1, max(0, c)) * 255).rounded())
            return String(v, radix: 16).count == 1 ? "0" + String(v, radix: 16) : String(v, radix: 16)
        }
        return ("#" + hex(rgb.0) + hex(rgb.1) + hex(rgb.2), luminance(rgb) < 0.45)
    }
}
