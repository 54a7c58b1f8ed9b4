import DRSimRender
import DRSimResults
import Foundation
import Testing

@Suite struct ChartTests {
    /// A deterministic spread of values (no randomness in tests).
    static func spread(_ n: Int, from a: Double, to b: Double) -> [Double] {
        (0..<n).map { i in a + (b - a) * Double((i * 37) % n) / Double(max(1, n - 1)) }
    }

    struct CDFCase: CustomTestStringConvertible, Sendable {
        var name: String
        var values: [Double]
        var censored: Int
        var horizon: Double
        var unit: String
        var testDescription: String { name }
    }

    static let cdfCases = [
        CDFCase(
            name: "censored RTO over an hour", values: spread(186, from: 120, to: 3300), censored: 14, horizon: 3600,
            unit: "min"),
        CDFCase(
            name: "no censoring, seconds", values: spread(200, from: 1.5, to: 19), censored: 0, horizon: 3600, unit: "s"
        ),
        CDFCase(
            name: "every value zero (no lost writes)", values: Array(repeating: 0, count: 200), censored: 0,
            horizon: 3600, unit: "s"),
        CDFCase(name: "all censored", values: [], censored: 50, horizon: 600, unit: "min"),
        CDFCase(name: "one value", values: [42], censored: 0, horizon: 600, unit: "s"),
        CDFCase(
            name: "a day's horizon", values: spread(300, from: 600, to: 80_000), censored: 3, horizon: 86_400, unit: "h"
        ),
        CDFCase(
            name: "a million incidents", values: spread(1_000_000, from: 0, to: 400), censored: 0, horizon: 3600,
            unit: "min"),
    ]

    @Test(arguments: cdfCases) func cdfChart(_ k: CDFCase) throws {
        let at = (k.values.max() ?? k.horizon / 4) * 0.9
        let target = CDFTarget(value: at, level: 0.99, label: "target p99 ≤ \(at) s")
        let chart = CDFChart.draw(
            CDFChartData(
                name: "cdf", title: "model <a&b>: RTO", subtitle: "sub", xLabel: "RTO", quantity: .seconds,
                series: [CDFSeries(label: "rto_s", values: k.values, censored: k.censored)], horizon: k.horizon,
                targets: [target]))
        let doc = try #require(checkChart(chart, series: 1, units: [k.unit, "%"]))
        #expect(doc.all("line", role: "target").count == 1)
        #expect(doc.all("line", role: "target-level").count == 1)
        #expect(doc.all("path", role: "band").count == 1)
        #expect(doc.all("title").first?.text == "model <a&b>: RTO")
        let eps = CDFChart.dkwEpsilon(n: k.values.count + k.censored, confidence: 0.95)
        #expect(
            doc.texts(role: "legend").contains {
                $0.contains("95% DKW band") && $0.contains(String(format: "%.3f", eps))
            })
        let censoredLabels = doc.texts(role: "censored-label")
        if k.censored > 0 {
            let share = 100 * Double(k.censored) / Double(k.values.count + k.censored)
            #expect(censoredLabels.count == 1)
            #expect(censoredLabels.first?.contains(String(format: "%.1f%%", share)) == true, "\(censoredLabels)")
            // The curve stops below 1: its last point is at F = observed share, not at the top.
            #expect(doc.all("line", role: "censored").count == 1)
        } else {
            #expect(censoredLabels.isEmpty)
        }
        #expect(chart.svg.utf8.count < 200_000, "the path is not simplified: \(chart.svg.utf8.count) bytes")
    }

    @Test func dkwEpsilonIsMassartsBound() {
        // ε = √(ln(2/α) / 2n): 0.0429 for n = 1000 at 95%.
        #expect(abs(CDFChart.dkwEpsilon(n: 1000, confidence: 0.95) - 0.042948) < 1e-5)
        #expect(abs(CDFChart.dkwEpsilon(n: 200, confidence: 0.99) - (log(200.0) / 400).squareRoot()) < 1e-12)
    }

    @Test func cdfWithoutTargetDrawsNoTargetLine() throws {
        let chart = CDFChart.draw(
            CDFChartData(
                name: "c", title: "t", subtitle: "", xLabel: "RPO", quantity: .seconds,
                series: [CDFSeries(label: "rpo_s", values: [1, 2, 3], censored: 0)], horizon: 60))
        let doc = try #require(checkChart(chart, series: 1, units: ["s", "%"]))
        #expect(doc.all("line", role: "target").isEmpty)
    }

    @Test func twoSeriesTwoPathsAndDistinctStyles() throws {
        let chart = CDFChart.draw(
            CDFChartData(
                name: "c", title: "t", subtitle: "", xLabel: "time", quantity: .seconds,
                series: [
                    CDFSeries(label: "recovered_90_s", values: Self.spread(100, from: 100, to: 400), censored: 0),
                    CDFSeries(label: "rto_s", values: Self.spread(90, from: 200, to: 3000), censored: 10),
                ], horizon: 3600))
        let doc = try #require(checkChart(chart, series: 2, units: ["min"]))
        let paths = doc.all("path", role: "series")
        #expect(
            Set(paths.map { "\($0.attributes["stroke"] ?? "")|\($0.attributes["stroke-dasharray"] ?? "solid")" }).count
                == 2)
    }

    @Test func timelineChart() throws {
        let t = (0...3600).map(Double.init)
        let p50 = t.map { min(1, max(0, ($0 - 200) / 300)) }
        let chart = TimelineChart.draw(
            TimelineChartData(
                name: "tl", title: "m: success", subtitle: "", xLabel: "time since the fault started",
                xQuantity: .seconds,
                yLabel: "requests succeeding", yQuantity: .fraction, x: t,
                lines: [.init(label: "median", y: p50), .init(label: "mean", y: p50.map { $0 * 0.98 })],
                bandLabel: "5th–95th percentile", bandLow: p50.map { $0 * 0.9 }, bandHigh: p50.map { min(1, $0 * 1.1) },
                markers: [Marker(x: 0, label: "fault starts"), Marker(x: 103, label: "DNS answer changes")],
                levels: [Level(y: 0.99, label: "SLO success target 99%")]))
        let doc = try #require(checkChart(chart, series: 2, units: ["min", "%"]))
        #expect(doc.all("line", role: "marker").count == 2)
        #expect(doc.texts(role: "marker-label") == ["fault starts", "DNS answer changes"])
        #expect(doc.all("line", role: "target").count == 1)
        #expect(doc.all("path", role: "band").count == 1)
        #expect(chart.svg.utf8.count < 60_000)
    }

    @Test func timelineDropsNonFinitePoints() throws {
        let chart = TimelineChart.draw(
            TimelineChartData(
                name: "tl", title: "t", subtitle: "", xLabel: "time", xQuantity: .seconds, yLabel: "success",
                yQuantity: .fraction,
                x: [0, 1, 2, .nan], lines: [.init(label: "median", y: [0, .infinity, 1, 1])], bandLabel: "band",
                bandLow: [0, 0, 1, 1], bandHigh: [0, 1, 1, 1]))
        checkChart(chart, series: 1, units: ["s", "%"])
    }

    @Test func heatMapLabelsEveryCellWithValueAndInterval() throws {
        let ttls = ["0", "30", "60", "300"]
        let thresholds = ["1", "2", "3"]
        let cells = thresholds.indices.map { r in
            ttls.indices.map { c -> Estimate in
                r == 2 && c == 3
                    ? Estimate(value: nil)
                    : Estimate(
                        value: 100 + Double(r * 300 + c * 90), low: 90 + Double(r * 300 + c * 90),
                        high: 120 + Double(r * 300 + c * 90))
            }
        }
        let chart = HeatMap.draw(
            HeatMapData(
                name: "hm", title: "sweep: p99 of rto_s", subtitle: "", statistic: "p99 of rto_s", quantity: .seconds,
                xLabel: "dns.ttl_s", xValues: ttls, yLabel: "health_checks[0].failure_threshold", yValues: thresholds,
                cells: cells))
        let doc = try #require(checkChart(chart))
        #expect(doc.all("rect", role: "cell").count == 12)
        let values = doc.texts(role: "cell-value")
        #expect(values.count == 12)
        #expect(values.filter { $0 == "unknown" }.count == 1)
        #expect(values.contains("100 s") || values.contains("1.67 min"), "\(values)")
        #expect(doc.texts(role: "cell-interval").count == 11)
        #expect(doc.texts(role: "x-category") == ttls)
        #expect(doc.texts(role: "y-category") == thresholds)
        let barTicks = doc.texts(role: "bar-tick-label").compactMap(Double.init)
        #expect(barTicks.count >= 2)
        let legend = doc.texts(role: "legend")
        #expect(legend.contains { $0.hasPrefix("p99 of rto_s (") }, "\(legend)")
    }

    @Test func intervalLinesBreakAtUnknownValues() throws {
        let chart = IntervalLineChart.draw(
            IntervalLineChartData(
                name: "ln", title: "sweep: rto_s p99 against TTL", subtitle: "", xLabel: "dns.ttl_s",
                xQuantity: .seconds,
                yLabel: "p99 of rto_s", yQuantity: .seconds,
                series: [
                    .init(
                        label: "threshold 1",
                        points: [0, 30, 60, 300].map {
                            LinePoint(x: $0, estimate: Estimate(value: 100 + $0, low: 90 + $0, high: 115 + $0))
                        }),
                    .init(
                        label: "threshold 3",
                        points: [0, 30, 60, 300].map {
                            LinePoint(
                                x: $0,
                                estimate: $0 == 60
                                    ? Estimate(value: nil) : Estimate(value: 160 + $0, low: 150 + $0, high: nil))
                        }),
                ],
                levels: [Level(y: 300, label: "target p99 ≤ 5 min")]))
        let doc = try #require(checkChart(chart, series: 2, units: ["min"]))
        // Interval bars: three lines per point with both bounds (4 points of the first series only).
        #expect(doc.all("line", role: "interval").count == 12)
        #expect(doc.all("line", role: "target").count == 1)
        let second = try #require(
            doc.all("path", role: "series").first { $0.attributes["data-series"] == "threshold 3" })
        #expect(second.attributes["d"]?.filter { $0 == "M" }.count == 2, "the line must break at the unknown point")
    }

    @Test func barChartDrawsOnePathPerSeriesAndLabelsWhatFits() throws {
        let chart = BarChart.draw(
            BarChartData(
                name: "bars", title: "m: RTO by stage", subtitle: "", xLabel: "time since the fault started",
                quantity: .seconds,
                yLabel: "rank",
                series: ["detection", "caches", "connections", "unused"].enumerated().map {
                    .init(label: $1, colour: Palette.fill($0))
                },
                rows: [
                    .init(
                        label: "median",
                        segments: [
                            .init(from: 0, to: 400, series: 0, label: "400 s"),
                            .init(from: 400, to: 2000, series: 1, label: "1600 s"),
                            .init(from: 2000, to: 2003, series: 2, label: "3 s"),
                        ]),
                    .init(label: "p99", segments: [], note: "not recovered by the horizon"),
                    .init(
                        label: "odd",
                        segments: [.init(from: 0, to: .nan, series: 0), .init(from: 0, to: 10, series: 9)]),
                ],
                markers: [Marker(x: 1500, label: "base 25 min")]))
        let doc = try #require(checkChart(chart, series: 3, units: ["min"]))
        #expect(doc.texts(role: "y-category") == ["median", "p99", "odd"])
        #expect(
            doc.texts(role: "legend") == ["detection", "caches", "connections", "base 25 min"],
            "no legend entry for a series with no bar")
        #expect(doc.texts(role: "segment-label") == ["400 s", "1600 s"], "3 s is too narrow to hold its label")
        #expect(doc.texts(role: "note") == ["not recovered by the horizon"])
        #expect(doc.all("line", role: "marker").count == 1)
        // Every rectangle is a closed subpath: one for detection and caches each, one for connections.
        let closed = doc.all("path", role: "series").map { ($0.attributes["d"] ?? "").filter { $0 == "Z" }.count }
        #expect(closed == [1, 1, 1])
        // Segments are drawn left to right on the x axis: caches start where detection ends.
        let paths = doc.all("path", role: "series").map {
            pathNumbers($0.attributes["d"] ?? "").filter { $0.axis == "x" }.map(\.value)
        }
        #expect(paths[0].max() == paths[1].min())
    }

    @Test func cdfMarksZeroAndAMeanWithItsInterval() throws {
        let chart = CDFChart.draw(
            CDFChartData(
                name: "diff", title: "m: B − A", subtitle: "", xLabel: "B − A of rto_s", quantity: .seconds,
                series: [CDFSeries(label: "B − A", values: Self.spread(100, from: -300, to: 60), censored: 0)],
                horizon: nil,
                markers: [
                    Marker(x: 0, label: "0: B = A"),
                    Marker(x: -120, label: "mean −120 s", low: -150, high: -90, intervalLabel: "95% interval"),
                ]))
        let doc = try #require(checkChart(chart, series: 1, units: ["min", "%"]))
        #expect(doc.all("line", role: "marker").count == 2)
        #expect(doc.all("rect", role: "marker-interval").count == 1)
        #expect(doc.texts(role: "legend").contains("95% interval"))
        let ticks = doc.texts(role: "x-tick").compactMap(Double.init)
        #expect(
            ticks.first! <= -5 && ticks.contains(0),
            "the axis runs from the most negative difference through zero: \(ticks)")
    }

    @Test func textIsEscaped() {
        #expect(xmlEscaped("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        #expect(xmlEscaped("bell\u{07}") == "bell\u{FFFD}")
    }

    struct TickCase: CustomTestStringConvertible, Sendable {
        var lo: Double, hi: Double, step: Double
        var testDescription: String { "\(lo)…\(hi)" }
    }

    @Test(arguments: [
        TickCase(lo: 0, hi: 1, step: 0.2), TickCase(lo: 0, hi: 3600, step: 500), TickCase(lo: 0, hi: 7, step: 1),
        TickCase(lo: 0, hi: 0.003, step: 0.0005), TickCase(lo: 10, hi: 95, step: 10), TickCase(lo: -3, hi: 3, step: 1),
    ])
    func niceSteps(_ k: TickCase) {
        #expect(abs(NiceNumbers.step(span: k.hi - k.lo, count: 6) - k.step) < k.step * 1e-9)
    }
}
