// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads board and layer files for one load, each at most once, recording every
/// violation in one sink. A missing file is reported at the line that names it.
final class FileLoader {
    let repository: Repository
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
        let path = repository.boardPath(name)
        var board: Board?
        if let root = read(path, kind: "board", name: name,
                           relative: Repository.boardRelativePath(name), reference: reference) {
            board = BoardDecoder(sink: sink).decode(root, fileName: name)
        }
        boards[name] = board
        return board
    }

    /// The layer named `name`, or nil after recording why not.
    func layer(named name: String, referencedFrom reference: YAMLValue?) -> Layer? {
        if let cached = layers[name] { return cached }
        let path = repository.layerPath(name)
        var layer: Layer?
        if let root = read(path, kind: "layer", name: name,
                           relative: Repository.layerRelativePath(name), reference: reference) {
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

    private func read(_ path: String, kind: String, name: String, relative: String,
                      reference: YAMLValue?) -> YAMLValue? {
        let at = reference?.location ?? SourceLocation(path: path, line: 1, column: 1)
        guard !name.contains("/"), !name.hasPrefix(".") else {
            sink.error("invalid \(kind) name '\(name)' (a plain name, no '/')", at: at)
            return nil
        }
        guard FileManager.default.fileExists(atPath: path) else {
            sink.error("\(kind) '\(name)' not found: no file \(relative) in the repository", at: at)
            return nil
        }
        switch TextFile.read(path) {
        case .success(let text):
            return YAMLDocument.parse(text, file: path, sink: sink)
        case .failure(let failure):
            sink.error("cannot read \(kind) '\(name)' from \(relative): \(failure.reason)", at: at)
            return nil
        }
    }
}
