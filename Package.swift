// swift-tools-version:6.0
import PackageDescription

/// Swift 6 everywhere. A release build leaves out the run-time exclusivity checks (the compile-time ones stay,
/// and debug builds, which the tests run, keep both): a check and its bookkeeping on every access to a stored
/// property of a class, in our code and in the NIO code the compiler specializes into it, came to a fifth of
/// the instructions of an echo server (see bench/README.md).
let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// How the release binary is linked on Linux, for a faster start and less resident memory (see bench/README.md):
/// - lld packs the position-independent executable's 50,000 relocations into a few kilobytes (RELR) instead
///   of the 1.2 MB the loader would read at every start;
/// - the binary's own symbols are not exported, so the loader does not search them;
/// - the Swift runtime is linked in statically, as `--static-swift-stdlib` does, so that a plain
///   `swift build -c release` makes the same binary as `make release` (it starts about 10 ms sooner than one that
///   loads the runtime's shared libraries); ArgumentParser's FoundationEssentials needs two of its static
///   libraries named, which `--static-swift-stdlib` would add;
/// - libstdc++ and libgcc are linked in statically (see link/libstdc++.so);
/// - the functions of the common paths are placed together (link/wsc.order, written by `make order`; `make test`
///   fails when it misses more than a few percent of what a smoke run executes).
let linkDirectory = Context.packageDirectory + "/link"
let releaseLinkerFlags: [LinkerSetting] = [
    .unsafeFlags(
        [
            "-use-ld=lld",
            "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
            "-Xlinker", "--no-export-dynamic",
            "-L", linkDirectory,
            "-Xclang-linker", "-static-libgcc",
            "-Xlinker", "--symbol-ordering-file=" + linkDirectory + "/wsc.order",
            "-Xlinker", "--no-warn-symbol-ordering",
            "-static-stdlib", "-l_FoundationCollections", "-l_FoundationCShims",
        ],
        .when(platforms: [.linux], configuration: .release)
    )
]

let package = Package(
    name: "wsc",
    products: [
        .executable(name: "wsc", targets: ["wsc"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .executableTarget(
            name: "wsc",
            dependencies: ["WSCommand"],
            swiftSettings: strictSwift6,
            linkerSettings: releaseLinkerFlags
        ),
        // Fuzz targets for libFuzzer (`make fuzz`) and their corpus replay (`make test`); see Fuzz/README.md.
        .executableTarget(
            name: "wsc-fuzz",
            dependencies: [
                "WSEngine",
                "WSTerminal",
                "WSDeflate",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "WSCommand",
            dependencies: [
                "WSEngine",
                "WSTerminal",
                "WSDeflate",
                "WSTLS",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "WSTerminal",
            dependencies: [
                "WSEngine",
                "CLibEdit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "WSEngine",
            dependencies: [
                "WSDeflate",
                "WSTLS",
                "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "WSDeflate",
            dependencies: [
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "WSTLS",
            dependencies: [
                "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "CLibEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .testTarget(
            name: "WSEngineTests",
            dependencies: [
                "WSEngine",
                "WSDeflate",
                "WSTLS",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "WSDeflateTests",
            dependencies: [
                "WSDeflate",
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "WSTLSTests",
            dependencies: [
                "WSTLS",
                "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "WSTerminalTests",
            dependencies: [
                "WSTerminal",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "WSCommandTests",
            dependencies: ["WSCommand"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["WSEngine"],
            exclude: ["Peers"],
            swiftSettings: strictSwift6
        ),
    ]
)
