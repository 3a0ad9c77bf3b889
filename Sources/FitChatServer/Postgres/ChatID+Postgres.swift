import FitChatProtocol
import Foundation
import PostgresNIO

/// PostgreSQL keeps an id in its native `uuid` type (16 bytes, binary on the wire), through
/// Foundation's `UUID`, which postgres-nio already encodes.
extension ChatID: PostgresEncodable, PostgresNonThrowingEncodable, PostgresArrayEncodable {
    public static var psqlType: PostgresDataType { .uuid }
    public static var psqlFormat: PostgresFormat { .binary }
    public static var psqlArrayType: PostgresDataType { .uuidArray }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(high)
        byteBuffer.writeInteger(low)
    }
}

extension ChatID: PostgresDecodable, PostgresArrayDecodable {
    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(uuid: try UUID(from: &buffer, type: type, format: format, context: context))
    }
}
