// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "drsim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "drsim", targets: ["drsim"]),
        .library(name: "DRSim", targets: ["DRSim"]),
        .library(name: "DRSimRender", targets: ["DRSimRender"]),
        .library(name: "DRSimResults", targets: ["DRSimResults"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // The GNU Scientific Library, seen through one module map and one shim header.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // One Linux call that Swift's Glibc module does not declare (renameat2, to swap two folders).
        .systemLibrary(name: "CSystem"),
        // Writing files all or nothing: a batch of files, result folders swapped in as a whole, the
        // cleanup of an interrupted run's temporary files (the CLI writes results, reports and notebooks with it),
        // and what may be written where (ResultFolderGuard: drsim replaces only its own result sets and files).
        .target(name: "DRSimFiles", dependencies: ["CSystem"]),
        // Time, event queue and run loop: no model, no GSL, no file I/O.
        .target(
            name: "DRSimKernel",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")]
        ),
        // What a run's results are, apart from how they were computed: the metrics and their units,
        // estimates and summaries, the targets' grammar, number formats, the result files' names, the
        // readers of result folders, and the tables both the terminal and the report show. Foundation only.
        .target(name: "DRSimResults"),
        // Random streams and statistics over GSL, the model, configs, the runner and the result files.
        .target(
            name: "DRSim",
            dependencies: ["CGSL", "DRSimKernel", "DRSimFiles", "DRSimResults"]
        ),
        // Analysis on top of runs: sweeps, paired comparisons, precision on demand, targets and diffs
        // against a baseline (read back through DRSimResults' result-folder reader).
        .target(
            name: "DRSimStudy",
            dependencies: ["DRSim", "DRSimFiles", "DRSimResults"]
        ),
        // SVG charts, the HTML report and notebook export: reads result folders (through DRSimResults)
        // only, never the model.
        .target(name: "DRSimRender", dependencies: ["DRSimResults"]),
        // What `drsim bench` measures: the kernel's hold model, runs and sweeps timed in child processes,
        // and the SimPy twins (the only code that starts Python).
        .target(
            name: "DRSimBench",
            dependencies: ["DRSim", "DRSimKernel"]
        ),
        // The command line only.
        .executableTarget(
            name: "drsim",
            dependencies: [
                "DRSim", "DRSimFiles", "DRSimStudy", "DRSimRender", "DRSimBench", "DRSimResults",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // For the test targets only: the lanes' traits (.slow, .external) and awaiting child processes.
        .target(name: "DRSimTestSupport", path: "Tests/DRSimTestSupport"),
        .testTarget(name: "DRSimKernelTests", dependencies: ["DRSimKernel"]),
        .testTarget(name: "DRSimResultsTests", dependencies: ["DRSimResults"]),
        .testTarget(
            name: "DRSimTests",
            dependencies: [
                "DRSim", "DRSimFiles", "DRSimKernel", "DRSimResults", "DRSimStudy", "CGSL", "DRSimTestSupport",
            ],
            exclude: ["Goldens"]
        ),
        .testTarget(name: "DRSimRenderTests", dependencies: ["DRSimRender", "DRSimResults", "DRSimTestSupport"]),
        .testTarget(name: "DRSimBenchTests", dependencies: ["DRSim", "DRSimBench", "DRSimTestSupport"]),
        .testTarget(
            name: "DRSimCLITests",
            dependencies: [
                "DRSim", "DRSimFiles", "DRSimResults", "DRSimStudy", "DRSimRender", "drsim", "DRSimTestSupport",
            ],
            exclude: ["BadConfigs", "Scripts", "Schemas"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
