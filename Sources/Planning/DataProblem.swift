import GeoModel

/// One thing wrong with a data file, located precisely enough to fix it.
public struct DataProblem: Hashable, Sendable, CustomStringConvertible {
    /// The file the problem is in, relative to the folder being checked.
    public var file: String
    /// Where in the file: a JSON path such as `features[3].properties.accuracy_m`, or empty.
    public var location: String
    public var message: String

    public init(file: String, location: String = "", message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// A reading error: GeoJSON errors keep their location, anything else its description.
    init(file: String, _ error: any Error) {
        if let error = error as? GeoJSONError {
            self.init(file: file, location: error.path, message: error.message)
        } else {
            self.init(file: file, message: "\(error)")
        }
    }

    public var description: String {
        location.isEmpty ? "\(file): \(message)" : "\(file): \(location): \(message)"
    }
}
