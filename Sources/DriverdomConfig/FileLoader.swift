// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads board and layer files for one load, each at most once, recording every
/// violation in one sink. A missing file is reported at the line that names it.
final class FileLoader {
    /// Where names are searched; an image's `includes:` are added before its board is read.
    var repository: Repository
    let sink = DiagnosticSink()
    private var boards: [String: Board?] = [:]
    private var layers: [String: Layer?] = [:]
    private var site: LicensePolicy??

    init(repository: Repository) {
        self.repository = repository
    }

    /// The board named `name`, or nil after recording why not.
    func board(named name: String, referencedFrom reference: YAMLValue?) -> Board? {
        if let cached = boards[name] { return cached }
        var board: Board?
        if let (root, _) = read(kind: "board", name: name, relative: Repository.boardRelativePath(name),
                                reference: reference) {
            board = BoardDecoder(sink: sink).decode(root, fileName: name)
        }
        boards[name] = board
        return board
    }

    /// The layer named `name`, or nil after recording why not.
    func layer(named name: String, referencedFrom reference: YAMLValue?) -> Layer? {
        if let cached = layers[name] { return cached }
        var layer: Layer?
        if let (root, path) = read(kind: "layer", name: name, relative: Repository.layerRelativePath(name),
                                   reference: reference) {
            layer = LayerDecoder(sink: sink).decode(root, folderName: name,
                                                    directory: (path as NSString).deletingLastPathComponent)
        }
        layers[name] = layer
        return layer
    }

    /// The repository's site-wide license policy, nil when there is none (or after recording its violations).
    func sitePolicy() -> LicensePolicy? {
        if let site { return site }
        let path = repository.sitePolicyPath
        var policy: LicensePolicy?
        if FileManager.default.fileExists(atPath: path) {
            switch TextFile.read(path) {
            case .success(let text):
                policy = YAMLDocument.parse(text, file: path, sink: sink)
                    .flatMap { LicensePolicyDecoder(sink: sink).decodeSiteFile($0) }
            case .failure(let failure):
                sink.error("cannot read the license policy: \(failure.reason)", at: SourceLocation(path: path, line: 1, column: 1))
            }
        }
        site = .some(policy)
        return policy
    }

    /// The parsed file of `name` found on the search path, and its path.
    private func read(kind: String, name: String, relative: String,
                      reference: YAMLValue?) -> (YAMLValue, String)? {
        let at = reference?.location ?? SourceLocation(path: repository.root + "/" + relative, line: 1, column: 1)
        guard !name.contains("/"), !name.hasPrefix(".") else {
            sink.error("invalid \(kind) name '\(name)' (a plain name, no '/')", at: at)
            return nil
        }
        let path: String
        switch repository.search(relative, name: name) {
        case .found(let file): path = file
        case .missing(let searched):
            let place = searched.count == 1 ? "in the repository"
                : "in any of " + searched.map { Repository.shown($0) }.joined(separator: ", ")
            sink.error("\(kind) '\(name)' not found: no file \(relative) \(place)", at: at)
            return nil
        case .ambiguous(let files):
            let places = files.map { "\(Repository.shown($0)):1:1" }.joined(separator: " and ")
            sink.error("\(kind) '\(name)' is defined twice: \(places); rename one, or say which wins"
                + " with `overrides: [\(name)]` on the include that should win", at: at)
            return nil
        }
        switch TextFile.read(path) {
        case .success(let text):
            return YAMLDocument.parse(text, file: path, sink: sink).map { ($0, path) }
        case .failure(let failure):
            sink.error("cannot read \(kind) '\(name)' from \(relative): \(failure.reason)", at: at)
            return nil
        }
    }
}
