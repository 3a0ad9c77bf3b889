import Foundation
import NIOSSL

/// The TLS settings of every connection the client makes: the system's trust store, plus the
/// CA certificate named by `FITCHAT_CA_FILE` (for servers with a private or self-signed CA).
enum ClientTLS {
    static func configuration(caFile: String?) throws(ClientError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw .configuration("FITCHAT_CA_FILE \(caFile) cannot be read")
            }
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
            } catch {
                throw .configuration("FITCHAT_CA_FILE \(caFile) holds no PEM certificate")
            }
        }
        return tls
    }
}
