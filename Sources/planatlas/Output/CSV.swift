/// RFC 4180 fields: quoted when they hold a comma, quote or line break.
func csvLine(_ fields: [String]) -> String {
    fields.map { field in
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }.joined(separator: ",")
}

import Foundation
