// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A folder holding `Boards/` and `Layers/` (and usually `Images/`): where boards
/// and layers are found by name.
public struct Repository: Sendable, Hashable {
    /// The folder's absolute, standardized path.
    public var root: String

    /// A repository at `root` (made absolute against the current directory).
    public init(root: String) {
        self.root = Repository.absolute(root)
    }

    /// The nearest folder at or above `path` (a file or folder) holding both
    /// `Boards/` and `Layers/`.
    public static func find(from path: String) throws(ConfigError) -> Repository {
        var folder = absolute(path)
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            folder = (folder as NSString).deletingLastPathComponent
        }
        while true {
            if isFolder(folder + "/Boards"), isFolder(folder + "/Layers") {
                return Repository(root: folder)
            }
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder || parent.isEmpty { throw .repositoryNotFound(start: path) }
            folder = parent
        }
    }

    /// `<root>/Boards/<name>.yaml`.
    public func boardPath(_ name: String) -> String { root + "/" + Self.boardRelativePath(name) }

    /// `<root>/Layers/<name>/layer.yaml`.
    public func layerPath(_ name: String) -> String { root + "/" + Self.layerRelativePath(name) }

    /// `<root>/license-policy.yaml`, the site-wide license policy (optional).
    public var sitePolicyPath: String { root + "/" + LicensePolicy.siteFileName }

    static func boardRelativePath(_ name: String) -> String { "Boards/\(name).yaml" }
    static func layerRelativePath(_ name: String) -> String { "Layers/\(name)/layer.yaml" }

    /// Names of all boards (`Boards/*.yaml`), sorted.
    public func boardNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/Boards")) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Paths of all images (`Images/*.yaml`), sorted.
    public func imagePaths() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root + "/Images")) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { root + "/Images/" + $0 }
    }

    /// Names of all layers (`Layers/*/layer.yaml`), sorted.
    public func layerNames() -> [String] {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root + "/Layers")) ?? []
        return folders.filter { FileManager.default.fileExists(atPath: layerPath($0)) }.sorted()
    }

    /// Loads and validates `Boards/<name>.yaml`.
    public func loadBoard(named name: String) throws(ConfigError) -> Board {
        guard FileManager.default.fileExists(atPath: boardPath(name)) else {
            throw .notFound(kind: "board", name: name, path: boardPath(name))
        }
        let loader = FileLoader(repository: self)
        let board = loader.board(named: name, referencedFrom: nil)
        guard let board, loader.sink.count == 0 else { throw .validationFailed(loader.sink.sorted) }
        return board
    }

    /// Loads and validates `Layers/<name>/layer.yaml`.
    public func loadLayer(named name: String) throws(ConfigError) -> Layer {
        guard FileManager.default.fileExists(atPath: layerPath(name)) else {
            throw .notFound(kind: "layer", name: name, path: layerPath(name))
        }
        let loader = FileLoader(repository: self)
        let layer = loader.layer(named: name, referencedFrom: nil)
        guard let layer, loader.sink.count == 0 else { throw .validationFailed(loader.sink.sorted) }
        return layer
    }

    /// Loads and validates the image at `path` with its board and layers from this
    /// repository, collecting every violation of all three kinds of file.
    public func loadImage(at path: String) throws(ConfigError) -> Configuration {
        let file = Self.absolute(path)
        let loader = FileLoader(repository: self)
        let text: String
        switch TextFile.read(file) {
        case .success(let contents): text = contents
        case .failure(let failure): throw .readFailed(path: path, reason: failure.reason)
        }
        let result = ImageDecoder(loader: loader).decode(text: text, file: file)
        guard let result, loader.sink.count == 0 else { throw .validationFailed(loader.sink.sorted) }
        return Configuration(repository: self, image: result.image, board: result.board, layers: result.layers,
                             licensePolicy: result.licensePolicy)
    }

    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        var standardized = url.standardizedFileURL.path
        while standardized.count > 1 && standardized.hasSuffix("/") { standardized.removeLast() }
        return standardized
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
