import Foundation

/// What a webhook's caller posts, as the message's text: Slack's incoming-webhook JSON
/// (`text`, and `attachments` with `pretext`, `title`, `text` or `fallback`, `fields`), which
/// Alertmanager, Grafana, Uptime Kuma and CI systems emit, rendered as plain lines; Slack's
/// form encoding (`payload=<json>`); or any other body as plain text.
enum IncomingWebhookBody {
    struct SlackMessage: Decodable {
        var text: String?
        var attachments: [Attachment]?
    }

    struct Attachment: Decodable {
        var pretext: String?
        var title: String?
        var text: String?
        var fallback: String?
        var fields: [Field]?
    }

    struct Field: Decodable {
        var title: String?
        var value: String?
    }

    static func content(of body: Data, contentType: String?) throws(ServerError) -> String {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let form = String(decoding: body, as: UTF8.self)
            guard let payload = URLComponents(string: "?" + form)?.queryItems?.first(where: { $0.name == "payload" })?.value else {
                throw .invalid("a form-encoded webhook body needs a payload field")
            }
            return try slack(Data(payload.utf8))
        }
        let text = String(decoding: body, as: UTF8.self)
        let looksLikeJSON = type.contains("json") || text.drop(while: \.isWhitespace).first == "{"
        return looksLikeJSON ? try slack(body) : text
    }

    private static func slack(_ json: Data) throws(ServerError) -> String {
        let message: SlackMessage
        do {
            message = try JSONDecoder().decode(SlackMessage.self, from: json)
        } catch {
            throw .invalid("the webhook body is not Slack's incoming-webhook JSON: \((error as? DecodingError)?.fieldProblem ?? "not JSON")")
        }
        var lines: [String] = []
        if let text = message.text, !text.isEmpty { lines.append(text) }
        for attachment in message.attachments ?? [] {
            for part in [attachment.pretext, attachment.title] { if let part, !part.isEmpty { lines.append(part) } }
            if let text = attachment.text ?? (attachment.title == nil ? attachment.fallback : nil), !text.isEmpty { lines.append(text) }
            for field in attachment.fields ?? [] {
                let line = [field.title, field.value].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
                if !line.isEmpty { lines.append(line) }
            }
        }
        return lines.joined(separator: "\n")
    }
}
