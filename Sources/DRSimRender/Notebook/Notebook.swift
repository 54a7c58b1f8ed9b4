import DRSimResults
import Foundation

/// A Jupyter notebook (nbformat 4.5) for a result folder: markdown that says what was simulated and how
/// to read each number, and Python cells that load the folder's CSV files with pandas and draw the main
/// charts with matplotlib, so that an analyst can go on from there.
///
/// The notebook holds no results of its own: it reads the folder at `resultsPath` (relative to the
/// notebook's own folder where possible), so rerunning the config and the notebook shows the new numbers.
/// Its text is deterministic (sorted keys, fixed cell ids, no outputs, no timestamps).
public struct Notebook {
    public let folder: ResultFolder
    /// The result folder as the notebook's code refers to it.
    public let resultsPath: String
    public let version: String

    public init(folder: ResultFolder, resultsPath: String, version: String) {
        self.folder = folder
        self.resultsPath = resultsPath
        self.version = version
    }

    /// The path of `target` relative to the folder `base` (both made absolute and standardized).
    public static func relativePath(from base: URL, to target: URL) -> String {
        let a = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let b = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        let parts = Array(repeating: "..", count: a.count - i) + b[i...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    enum Cell {
        case markdown(String)
        case code(String)
    }

    /// What was simulated, in a few lines, from run.json's config.
    var scenario: String {
        let f = folder
        var lines: [String] = []
        if let regions = f.configValue("regions") as? [any Sendable] {
            let list = regions.compactMap { $0 as? [String: any Sendable] }.map { r in
                "`\(r["name"] as? String ?? "?")` (\(r["role"] as? String ?? "active"))"
            }
            lines.append("- **Regions:** " + list.joined(separator: ", "))
        }
        if let ttl = f.ttl {
            lines.append(
                "- **DNS:** \(f.configValue("dns.policy") as? String ?? "failover") records, TTL \(Axis.compact(ttl)) s"
            )
        }
        if let checks = f.configValue("health_checks") as? [any Sendable], !checks.isEmpty {
            let list = checks.compactMap { $0 as? [String: any Sendable] }.map { h in
                "`\(h["id"] as? String ?? "?")` on \(h["target"] as? String ?? "?"), every "
                    + "\((h["interval_s"] as? Double).map(Axis.compact) ?? "?") "
                    + "s, threshold \((h["failure_threshold"] as? Double).map(Axis.compact) ?? "?")"
            }
            lines.append("- **Health checks:** " + list.joined(separator: "; "))
        }
        if let mode = f.configValue("database.mode") as? String {
            lines.append("- **Database:** DynamoDB global table, \(mode.uppercased())")
        }
        if let faults = f.configValue("faults") as? [any Sendable] {
            let list = faults.compactMap { $0 as? [String: any Sendable] }.map { fault in
                let kind = fault["kind"] as? String ?? "?"
                let region = (fault["region"] as? String).map { " of \($0)" } ?? ""
                let mode = (fault["mode"] as? String).map { ", \($0)" } ?? ""
                return "`\(kind)`\(region)\(mode)"
            }
            lines.append("- **Faults:** " + (list.isEmpty ? "none" : list.joined(separator: "; ")))
        }
        return lines.joined(separator: "\n")
    }

    var cells: [Cell] {
        let f = folder
        let slo = f.successTarget.map { "\(Axis.compact($0 * 100))%" } ?? "the SLO target"
        let hold = f.stableFor.map { "\(Axis.compact($0)) s" } ?? "the stable time"
        let horizon = f.horizon.map { "\(Axis.compact($0)) s" } ?? "the horizon"
        return [
            .markdown(
                """
                # \(f.name): what drsim simulated

                \(f.configDescription.isEmpty ? "" : f.configDescription + "\n\n")drsim simulated \
                **\(f.replicationCount) independent incidents** of this design (seed \(f.seed), each followed for \
                \(horizon) after the fault starts at t = 0) and wrote the result files this notebook reads. The \
                results were written by drsim \(f.version); this notebook by drsim \(version). Config hash \
                `\(f.configHash)`.

                \(scenario)

                The full resolved config is in `run.json`. Running the same config with the same seed gives the same \
                files, byte for byte; rerun this notebook after a new run to see its numbers.
                """),
            .markdown(
                """
                ## How to read the numbers

                Every metric is measured per incident, from the fault's start; the files hold its distribution over \
                the incidents.

                | metric | what it is |
                |---|---|
                | `detection_s` | until the DNS answer (or the load balancer's routing) first changes; empty if it \
                never does |
                | `rto_s` | until at least \(slo) of requests succeed again for good (until the horizon, with at \
                least \(hold) of it left); the horizon, with `rto_censored` = 1, if that never happens |
                | `first_recovery_s` | until \(slo) first succeed again and keep doing so for \(hold); empty if never |
                | `recovered_50_s`, `recovered_90_s`, `recovered_99_s` | until 50%, 90%, 99% of requests succeed \
                again for good, as `rto_s`; empty if never |
                | `failed_requests` | requests that failed between the fault and the horizon |
                | `write_rto_s` | as `rto_s`, for writes |
                | `rpo_s` | the data-loss window: age of the oldest acknowledged write that was lost (0 if none) |
                | `lost_writes`, `delayed_writes` | acknowledged writes lost for good, or that arrived late |
                | `false_failovers` | failovers with nothing wrong behind them |
                | `time_below_target_s`, `relapses` | time below \(slo) in all; drops below it after the first \
                recovery |
                | `stale_share_5m`, `_15m`, `_30m` | traffic still held on the old answer by resolvers that do not \
                honour TTLs, 5, 15, 30 minutes after the DNS change |
                | `rto_honouring_s` | `rto_s` with those resolvers' traffic left out: what the settings decide |
                | `false_failovers_per_year`, `downtime_min_per_year`, `availability`, … | with a year of operation \
                (`--year`): per simulated year of noise and outages (`years.csv`, below) |

                In `summary.csv`, `mean_ci_low`/`mean_ci_high` are a 95% Student's t interval; `p50`, `p90`, `p99` are \
                percentiles (Hyndman–Fan type 7) with distribution-free 95% intervals. `censored` counts incidents in \
                which the event did not happen before the horizon: the mean then counts them as the horizon and is \
                only a lower bound, and a percentile that falls among them is unknown (an empty cell, NaN below). A \
                narrow interval says the simulation has enough incidents; it says nothing about whether the config's \
                placeholders match your system (docs/model.md).
                """),
            .code(
                """
                import json
                from pathlib import Path

                import numpy as np
                import pandas as pd
                import matplotlib.pyplot as plt

                # The result folder drsim wrote (relative to this notebook). Point it at another run's folder to reuse \
                the notebook.
                RESULTS = Path(\(Self.pythonString(resultsPath)))

                summary = pd.read_csv(RESULTS / "summary.csv", index_col="metric")
                replications = pd.read_csv(RESULTS / "replications.csv", index_col="replication")
                timeline = pd.read_csv(RESULTS / "timeline.csv")
                run = json.loads((RESULTS / "run.json").read_text())
                config = run["config"]
                horizon = config["horizon_s"]
                print(f"{config['name']}: {run['replications']} incidents, seed {run['seed']}, horizon {horizon} s, \
                drsim {run['drsim_version']}")
                """),
            .markdown(
                "## The summary\n\nThe numbers `drsim run` prints, straight from `summary.csv` (NaN: unknown, see "
                    + "above)."
            ),
            .code(
                """
                for metric in ["recovered_90_s", "failed_requests", "detection_s", "rto_s", "rto_honouring_s",
                               "stale_share_15m", "rpo_s", "lost_writes"]:
                    if metric not in summary.index:
                        continue
                    row = summary.loc[metric]
                    cells = " ".join(f"{k}={float(row[k])!r}" for k in ["mean", "p50", "p90", "p99"])
                    print(f"{metric}: {cells} censored={int(row['censored'])} of {int(row['count'])}")

                summary[["count", "censored", "mean", "mean_ci_low", "mean_ci_high", "p50", "p90", "p99", "max"]]
                """),
            .markdown(
                """
                ## A year of operation

                With a year (`--year`, or a `year` section), each replication also simulated a year of blips, \
                checker-path problems, probe loss and regional outages (docs/model.md, A year of operation); \
                `years.csv` has each year's events and consequences. Without one, this cell says so.
                """),
            .code(
                """
                if (RESULTS / "years.csv").exists():
                    years = pd.read_csv(RESULTS / "years.csv", index_col="replication")
                    causes = ["downtime_blips_min_per_year", "downtime_false_failovers_min_per_year",
                              "downtime_outages_min_per_year"]
                    print(years[["false_failovers_per_year", "failbacks_per_year", "downtime_min_per_year",
                                 "availability"]].describe().loc[["mean", "50%", "max"]])
                    fig, ax = plt.subplots(figsize=(7, 3.5))
                    years[causes].mean().rename(lambda c: c.split("_")[1]).plot.barh(ax=ax, color="0.4")
                    ax.set_xlabel("mean downtime per year (min of all traffic)")
                    ax.set_title(f"{config['name']}: downtime per year by cause")
                    fig.tight_layout()
                    plt.show()
                else:
                    print("no years.csv: this run simulated no year of operation (drsim run --year)")
                """),
            .markdown(
                """
                ## RTO, 90% back and RPO: empirical CDFs

                Each curve gives, for every time x, the share of incidents whose value is at most x; read a percentile \
                across (p90 is where the curve crosses 0.9). The shaded band is the 95% Dvoretzky–Kiefer–Wolfowitz \
                band: the true curve lies inside it at every x at once with 95% confidence. Incidents that never got \
                there before the horizon stay in the denominator, so the curve stops below 1 at the horizon; the gap \
                is their share.
                """),
            .code(
                """
                def plot_cdf(ax, metric, censored_column=None, confidence=0.95):
                    values = replications[metric]
                    n = len(values)
                    if censored_column in replications:
                        observed = values[replications[censored_column] == 0].dropna()
                    else:
                        observed = values.dropna()
                    x = np.sort(observed.to_numpy(dtype=float))
                    censored = n - len(x)
                    top = horizon if censored else (x.max() if len(x) else 1.0)
                    scale, unit = (1, "s") if top <= 180 else (60, "min") if top <= 3 * 3600 else (3600, "h")
                    steps_x = np.r_[0.0, x, horizon if censored else (x[-1] if len(x) else 0.0)] / scale
                    f = np.r_[0.0, np.arange(1, len(x) + 1) / n, len(x) / n]
                    eps = np.sqrt(np.log(2 / (1 - confidence)) / (2 * n))
                    ax.fill_between(steps_x, np.clip(f - eps, 0, 1), np.clip(f + eps, 0, 1), step="post", alpha=0.25, \
                color="0.5",
                                    label=f"{confidence:.0%} DKW band (±{eps:.3f})")
                    ax.step(steps_x, f, where="post", color="black", label=f"{metric}, n = {n}")
                    if censored:
                        ax.vlines(horizon / scale, len(x) / n, 1, colors="black", linestyles="dotted")
                        ax.annotate(f"{censored / n:.1%} not by the horizon", (horizon / scale, len(x) / n),
                                    xytext=(-6, 6), textcoords="offset points", ha="right")
                    ax.set_xlabel(f"{metric} ({unit})")
                    ax.set_ylabel("share of incidents at or below")
                    ax.set_ylim(0, 1.02)
                    ax.set_title(f"{config['name']}: {metric}")
                    ax.grid(alpha=0.3)
                    ax.legend(loc="lower right")

                fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
                plot_cdf(axes[0], "recovered_90_s")
                plot_cdf(axes[1], "rto_s", "rto_censored")
                plot_cdf(axes[2], "rpo_s")
                fig.tight_layout()
                plt.show()
                """),
            .markdown(
                """
                ## How traffic comes back

                The share of requests that succeed at each moment after the fault (`timeline.csv`): the line is the \
                median incident and the band holds the middle 90% of incidents at each moment. The dashed verticals \
                are the fault's start and the **median** detection time from `summary.csv` (a median over incidents, \
                not one incident's moment); the horizontal line is the SLO's success target (\(slo)).
                """),
            .code(
                """
                fig, ax = plt.subplots(figsize=(11, 4.5))
                scale, unit = (1, "s") if horizon <= 180 else (60, "min") if horizon <= 3 * 3600 else (3600, "h")
                t = timeline["t_s"] / scale
                ax.fill_between(t, timeline["success_p05"], timeline["success_p95"], alpha=0.25, label="5th–95th \
                percentile")
                ax.plot(t, timeline["success_p50"], label="median")
                ax.plot(t, timeline["success_mean"], linestyle="dotted", label="mean")
                ax.axvline(0, color="black", linestyle="dashed", linewidth=1, label="fault starts")
                detection = summary.loc["detection_s", "p50"] if "detection_s" in summary.index else float("nan")
                if not np.isnan(detection):
                    ax.axvline(detection / scale, color="black", linestyle="dashdot", linewidth=1,
                               label=f"DNS answer changes (median detection_s, {detection:.0f} s)")
                target = config.get("slo", {}).get("success_target")
                if target is not None:
                    ax.axhline(target, color="#d55e00", linestyle="dashed", label=f"SLO target {target:.0%}")
                ax.set_xlabel(f"time since the fault started ({unit})")
                ax.set_ylabel("share of requests succeeding")
                ax.set_ylim(0, 1.02)
                ax.set_title(f"{config['name']}: share of requests succeeding")
                ax.grid(alpha=0.3)
                ax.legend(loc="lower right")
                plt.show()
                """),
            .markdown(
                """
                ## Going on from here

                `replications` holds one row per incident, so any question about the distribution is a pandas \
                expression away: the share of incidents within a target, say, or how two metrics move together.
                """),
            .code(
                """
                TARGET_S = 900  # an RTO target of your own, in seconds
                recovered = replications["rto_censored"] == 0 if "rto_censored" in replications else \
                replications["rto_s"].notna()
                within = (replications["rto_s"] <= TARGET_S) & recovered
                print(f"incidents with RTO ≤ {TARGET_S} s: {within.mean():.1%} of {len(replications)}")
                replications.describe().T
                """),
        ]
    }

    /// The notebook's JSON text (nbformat 4.5).
    public var json: String {
        let cellObjects: [[String: Any]] = cells.enumerated().map { i, cell in
            let id = String(format: "cell-%02d", i + 1)
            switch cell {
            case .markdown(let text):
                return ["cell_type": "markdown", "id": id, "metadata": [String: Any](), "source": Self.lines(text)]
            case .code(let text):
                return [
                    "cell_type": "code", "id": id, "metadata": [String: Any](), "source": Self.lines(text),
                    "execution_count": NSNull(), "outputs": [Any](),
                ]
            }
        }
        let doc: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": [
                "kernelspec": ["name": "python3", "display_name": "Python 3", "language": "python"],
                "language_info": ["name": "python"],
                "drsim": [
                    "version": version, "results_version": folder.version, "config_hash": folder.configHash,
                    "name": folder.name,
                ],
            ],
            "cells": cellObjects,
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A cell's source as nbformat stores it: lines that keep their line ends.
    static func lines(_ text: String) -> [String] {
        let parts = text.components(separatedBy: "\n")
        return parts.enumerated().map { i, l in i < parts.count - 1 ? l + "\n" : l }.filter { !$0.isEmpty }
    }

    /// A Python string literal.
    static func pythonString(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
