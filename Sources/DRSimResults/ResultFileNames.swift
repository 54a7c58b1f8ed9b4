/// The names of the files drsim writes into a result folder (docs/config.md, "Result files"), and of the
/// files that mark a study's folder.
public enum ResultFileNames {
    public static let summary = "summary.csv"
    public static let replications = "replications.csv"
    public static let timeline = "timeline.csv"
    /// The RTO by stage, per replication; drsim 0.1 did not write it.
    public static let breakdown = "breakdown.csv"
    /// The resolved config, the seed, the replications and the versions.
    public static let run = "run.json"
    /// The range of `rto_s` over the plausible TTL-extension shapes; only where the config uses the
    /// extension placeholder.
    public static let placeholderRanges = "placeholder_ranges.csv"
    /// Each replication-year's events and consequences; only when a year is simulated.
    public static let years = "years.csv"
    public static let report = "report.html"
    public static let sweep = "sweep.csv"
    /// A sweep's grid and base config.
    public static let sweepDocument = "sweep.json"
    public static let compare = "compare.csv"
    public static let sensitivity = "sensitivity.csv"
    /// `drsim advise`'s points, and its answer with the search.
    public static let advise = "advise.csv"
    public static let adviseDocument = "advise.json"

    /// A run's files, in the order they are written.
    public static let runFiles = [summary, replications, timeline, breakdown, run]
    /// The files every result folder has, whatever version of drsim wrote it.
    public static let required = [summary, replications, timeline, run]
    /// Every file drsim may write into a folder of its own: a run's, a study's, the report.
    public static let all =
        runFiles + [
            years, placeholderRanges, report, sweep, sweepDocument, compare, sensitivity, advise, adviseDocument,
        ]
    /// The files of which one marks a folder as written by drsim (a run, an advice, a sweep, a comparison
    /// or a sensitivity study), the first found naming it: an advice's folder holds its grid's sweep too,
    /// so advise.json comes before sweep.json.
    public static let markers = [run, adviseDocument, sweepDocument, compare, sensitivity]
}
