// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Where boards and layers are found by name: the built-in collection (`root`,
/// a folder holding `Boards/` and `Layers/`, and for builds the driverdom
/// package) after any product search folders (`searchFolders`, searched first,
/// in order).
package struct Repository: Sendable, Hashable {
    /// The built-in collection's absolute, standardized path (the driverdom
    /// package in a checkout or `PREFIX/share/driverdom` when installed).
    package var root: String
    /// Product collections searched before `root`, in order.
    package var searchFolders: [SearchFolder]
    /// The folder the repository was found from: a product repo's root, else `root`
    /// (where `Images/` and `license-policy.yaml` are looked for).
    package var home: String

    /// A repository at `root` (made absolute against the current directory).
    package init(root: String, searchFolders: [SearchFolder] = [], home: String? = nil) {
        self.root = Repository.absolute(root)
        self.searchFolders = searchFolders
        self.home = home.map(Repository.absolute) ?? self.root
    }

    /// The repository for a file or folder `path`: the nearest folder at or above
    /// it holding `driverdom.yaml` (a product repo: its collections, then
    /// `builtin`'s) or both `Boards/` and `Layers/` (a checkout); else `builtin`.
    package static func find(from path: String,
                            builtin: @autoclosure () -> Repository? = Repository.builtin()) throws(ConfigError) -> Repository {
        var folder = absolute(path)
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
            folder = (folder as NSString).deletingLastPathComponent
        }
        while true {
            let manifest = folder + "/" + ProductManifest.fileName
            if FileManager.default.fileExists(atPath: manifest) {
                guard let base = builtin() else { throw .builtinNotFound(needed: manifest) }
                let sink = DiagnosticSink()
                let folders = ProductManifest.searchFolders(at: manifest, sink: sink)
                guard sink.count == 0 else { throw .validationFailed(sink.sorted) }
                return Repository(root: base.root, searchFolders: folders, home: folder)
            }
            if isFolder(folder + "/Boards"), isFolder(folder + "/Layers") {
                return Repository(root: folder)
            }
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder || parent.isEmpty { break }
            folder = parent
        }
        guard let base = builtin() else { throw .repositoryNotFound(start: path) }
        return base
    }

    /// Every folder searched, in order: the search folders, then `root` (each once).
    package var searchPath: [String] {
        var seen: Set<String> = []
        return (searchFolders.map(\.path) + [root]).filter { seen.insert($0).inserted }
    }

    /// The file of board `name`: the one found, else where the built-in one would be.
    package func boardPath(_ name: String) -> String { path(search(Self.boardRelativePath(name), name: name), root: root, relative: Self.boardRelativePath(name)) }

    /// The `layer.yaml` of layer `name`: the one found, else where the built-in one would be.
    package func layerPath(_ name: String) -> String { path(search(Self.layerRelativePath(name), name: name), root: root, relative: Self.layerRelativePath(name)) }

    /// `<home>/license-policy.yaml` if it exists, else `<root>/license-policy.yaml`: the site-wide license policy (optional).
    package var sitePolicyPath: String {
        let own = home + "/" + LicensePolicy.siteFileName
        return FileManager.default.fileExists(atPath: own) ? own : root + "/" + LicensePolicy.siteFileName
    }

    static func boardRelativePath(_ name: String) -> String { "Boards/\(name).yaml" }
    static func layerRelativePath(_ name: String) -> String { "Layers/\(name)/layer.yaml" }

    /// Where `relative` (a board or layer file of `name`) is in the search path.
    func search(_ relative: String, name: String) -> SearchResult {
        let hits = searchPath.filter { FileManager.default.fileExists(atPath: $0 + "/" + relative) }
        switch hits.count {
        case 0: return .missing(searched: searchPath)
        case 1: return .found(hits[0] + "/" + relative)
        default:
            let winners = hits.filter { hit in searchFolders.contains { $0.path == hit && $0.overrides.contains(name) } }
            if winners.count == 1 { return .found(winners[0] + "/" + relative) }
            return .ambiguous(hits.map { $0 + "/" + relative })
        }
    }

    private func path(_ result: SearchResult, root: String, relative: String) -> String {
        if case .found(let file) = result { return file }
        if case .ambiguous(let files) = result, let first = files.first { return first }
        return root + "/" + relative
    }

    /// Names of all boards (`Boards/*.yaml` of every searched folder), sorted, each once.
    package func boardNames() -> [String] {
        let names = searchPath.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/Boards")) ?? [])
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        }
        return Array(Set(names)).sorted()
    }

    /// Paths of all images (`Images/*.yaml` of `home`), sorted.
    package func imagePaths() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: home + "/Images")) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { home + "/Images/" + $0 }
    }

    /// Names of all layers (`Layers/*/layer.yaml` of every searched folder), sorted, each once.
    package func layerNames() -> [String] {
        let names = searchPath.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/Layers")) ?? [])
                .filter { FileManager.default.fileExists(atPath: folder + "/" + Self.layerRelativePath($0)) }
        }
        return Array(Set(names)).sorted()
    }

    /// Loads and validates board `name`.
    package func loadBoard(named name: String) throws(ConfigError) -> Board {
        if case .missing = search(Self.boardRelativePath(name), name: name) {
            throw .notFound(kind: "board", name: name, path: boardPath(name))
        }
        let loader = FileLoader(repository: self)
        let board = loader.board(named: name, referencedFrom: nil)
        guard let board, loader.sink.count == 0 else { throw .validationFailed(loader.sink.sorted) }
        return board
    }

    /// Loads and validates layer `name`.
    package func loadLayer(named name: String) throws(ConfigError) -> Layer {
        if case .missing = search(Self.layerRelativePath(name), name: name) {
            throw .notFound(kind: "layer", name: name, path: layerPath(name))
        }
        let loader = FileLoader(repository: self)
        let layer = loader.layer(named: name, referencedFrom: nil)
        guard let layer, loader.sink.count == 0 else { throw .validationFailed(loader.sink.sorted) }
        return layer
    }

    /// Loads and validates the image at `path` with its board and layers (its own
    /// `includes:` searched first), collecting every violation of all three kinds of file.
    package func loadImage(at path: String) throws(ConfigError) -> Configuration {
        let file = Self.absolute(path)
        let loader = FileLoader(repository: self)
        let text: String
        switch TextFile.read(file) {
        case .success(let contents): text = contents
        case .failure(let failure): throw .readFailed(path: path, reason: failure.reason)
        }
        let result = ImageDecoder(loader: loader).decode(text: text, file: file)
        guard let result, loader.sink.count == 0 else { throw .validationFailed(loader.sink.sorted) }
        return Configuration(repository: loader.repository, image: result.image, board: result.board,
                             layers: result.layers, licensePolicy: result.licensePolicy)
    }

    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        var standardized = url.standardizedFileURL.path
        while standardized.count > 1 && standardized.hasSuffix("/") { standardized.removeLast() }
        return standardized
    }

    /// `path` relative to the current directory when it lies below it (for messages).
    static func shown(_ path: String) -> String {
        SourceLocation(path: path, line: 1, column: 1).relative(to: FileManager.default.currentDirectoryPath).path
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
