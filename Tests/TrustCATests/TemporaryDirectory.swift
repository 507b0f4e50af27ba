import Foundation

/// A fresh directory under the system temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    /// Absolute path of the directory.
    let path: String

    /// Creates a uniquely named directory.
    init(_ label: String = "trustca") throws {
        let base = FileManager.default.temporaryDirectory.path
        self.path = "\(base)/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
    }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    /// The permission bits of `relativePath` inside the directory.
    func mode(of relativePath: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(self.path)/\(relativePath)")
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
