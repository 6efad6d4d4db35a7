import GeoModel
import Hummingbird

/// The HTML representation of the OGC resources (`f=html`, or a browser's Accept): the same JSON
/// document rendered as headings, links and nested lists. No scripts, no inline styles, so the page
/// passes the strict Content-Security-Policy; all client text is escaped.
enum HTMLPage {
    static func response(title: String, document: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: MediaTypes.html],
                 body: .init(byteBuffer: ByteBuffer(string: html(title: title, document: document))))
    }

    static func html(title: String, document: JSONValue) -> String {
        var html = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(escape(title)) · planatlas</title>\n</head>\n<body>\n<main>\n<h1>\(escape(title))</h1>\n"
        if let object = document.objectValue {
            if let description = object["description"]?.stringValue { html += "<p>\(escape(description))</p>\n" }
            if let links = object["links"]?.arrayValue { html += linkList(links) }
            let rest = object.filter { $0.key != "links" && $0.key != "description" && $0.key != "title" }
            html += render(.object(rest))
        } else {
            html += render(document)
        }
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func linkList(_ links: [JSONValue]) -> String {
        var html = "<nav>\n<ul>\n"
        for link in links {
            guard let object = link.objectValue, let href = object["href"]?.stringValue, isSafeHref(href) else { continue }
            let label = object["title"]?.stringValue ?? object["rel"]?.stringValue ?? href
            let rel = object["rel"]?.stringValue.map { " rel=\"\(escape($0))\"" } ?? ""
            html += "<li><a href=\"\(escape(href))\"\(rel)>\(escape(label))</a></li>\n"
        }
        return html + "</ul>\n</nav>\n"
    }

    /// Only http(s) and same-site relative links become anchors; `javascript:` and the like never do.
    private static func isSafeHref(_ href: String) -> Bool {
        let lower = href.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || (lower.hasPrefix("/") && !lower.hasPrefix("//"))
    }

    private static func render(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            guard !object.isEmpty else { return "" }
            var html = "<dl>\n"
            for (key, member) in object {
                html += "<dt>\(escape(key))</dt><dd>\(render(member))</dd>\n"
            }
            return html + "</dl>\n"
        case .array(let items):
            if items.allSatisfy({ $0.doubleValue != nil }) {
                return escape(items.map(\.jsonText).joined(separator: ", "))
            }
            return "<ol>\n" + items.map { "<li>\(render($0))</li>\n" }.joined() + "</ol>\n"
        case .string(let s):
            if isSafeHref(s), s.hasPrefix("http") { return "<a href=\"\(escape(s))\">\(escape(s))</a>" }
            return escape(s)
        default:
            return escape(value.jsonText)
        }
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
