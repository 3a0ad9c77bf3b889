// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "fitchat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fitchat", targets: ["fitchat"]),
        .executable(name: "fitchat-bench", targets: ["fitchat-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        .target(name: "FitChatProtocol"),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        .target(
            name: "FitChatServer",
            dependencies: [
                "FitChatProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "FitChatClient",
            dependencies: [
                "FitChatProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "FitChatBots",
            dependencies: [
                "FitChatClient",
                "FitChatProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "FitChatREPL",
            dependencies: [
                "CReadline",
                "FitChatClient",
                "FitChatProtocol",
            ]
        ),
        .executableTarget(
            name: "fitchat",
            dependencies: [
                "FitChatServer",
                "FitChatClient",
                "FitChatREPL",
                "FitChatBots",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // swiftc exports every symbol of an executable (61,000 here) for dlsym; nothing
            // looks ours up, and the loader's and the backtracer's walks over that table cost
            // every one-shot `fitchat send` about 2 ms (BENCHMARKS.md, "fitchat send vs curl").
            linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"])]
        ),
        .executableTarget(
            name: "fitchat-bench",
            dependencies: [
                "FitChatClient",
                "FitChatProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "FitChatProtocolTests", dependencies: ["FitChatProtocol"]),
        .target(
            name: "FitChatTestSupport",
            dependencies: [
                "FitChatServer", "FitChatProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/FitChatTestSupport"
        ),
        .testTarget(
            name: "FitChatServerTests",
            dependencies: [
                "FitChatServer",
                "FitChatTestSupport",
                "fitchat",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "FitChatClientTests",
            dependencies: ["FitChatClient", "FitChatProtocol", "FitChatTestSupport"]
        ),
        // The built `fitchat` binary driven as a user drives it: commands, output, exit codes.
        .testTarget(
            name: "FitChatCLITests",
            dependencies: ["FitChatClient", "FitChatProtocol", "FitChatTestSupport", "fitchat"]
        ),
        .testTarget(
            name: "FitChatBotsTests",
            dependencies: ["FitChatBots", "FitChatClient", "FitChatProtocol", "FitChatTestSupport", "fitchat"]
        ),
        .testTarget(
            name: "FitChatBenchTests",
            dependencies: ["FitChatTestSupport", "fitchat", "fitchat-bench"]
        ),
        .testTarget(
            name: "FitChatREPLTests",
            dependencies: ["FitChatREPL", "FitChatClient", "FitChatProtocol", "FitChatTestSupport", "fitchat"]
        ),
    ]
)
