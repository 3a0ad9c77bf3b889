import Hummingbird
import NIOCore

/// `GET /metrics` in Prometheus's text format, without authentication: serve it on a private
/// address with `--metrics-listen` where the main port is public.
struct MetricsRoutes {
    let metrics: ServerMetrics

    func register(on router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
    }
}
