// swift-tools-version:5.9
// The core for the iOS app: the Rust library as an XCFramework and its generated Swift
// bindings. scripts/ios-build produces both (they are not in git); this manifest only
// declares them.
import PackageDescription

let package = Package(
    name: "A2FEprocCore",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "A2FEprocCore", targets: ["A2FEprocCore"]),
    ],
    targets: [
        // The static library with the C header and module map the Swift file imports.
        .binaryTarget(name: "A2FEprocCoreFFI", path: "A2FEprocCoreFFI.xcframework"),
        .target(
            name: "A2FEprocCore",
            dependencies: ["A2FEprocCoreFFI"],
            path: "Sources/A2FEprocCore"
        ),
    ]
)
