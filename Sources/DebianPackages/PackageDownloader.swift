// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One file to fetch: from a place into a destination in the cache's staging folder.
package struct PackageTransfer: Equatable, Sendable {
    package var place: PackagePlace
    package var destination: URL

    package init(place: PackagePlace, destination: URL) {
        self.place = place
        self.destination = destination
    }
}

/// Fetches files from mirrors, the snapshot archive and local folders; the seam
/// between the fetcher's source order and the network.
package protocol PackageDownloading: Sendable {
    /// Fetches every transfer (several at once where it can) and returns, for each in
    /// order, nil when its destination was written, or why it could not be.
    func fetch(_ transfers: [PackageTransfer]) -> [String?]
}

/// Fetches remote files with one `curl --parallel` run and copies local ones.
/// curl honours the usual `http_proxy`/`https_proxy` variables.
package struct CurlPackageDownloader: PackageDownloading {
    /// Transfers curl runs at once.
    package var parallel: Int
    private let runner: any CommandRunning

    package init(parallel: Int = 6, runner: any CommandRunning = ProcessCommandRunner()) {
        self.parallel = parallel
        self.runner = runner
    }

    package func fetch(_ transfers: [PackageTransfer]) -> [String?] {
        var results = [String?](repeating: nil, count: transfers.count)
        var remote: [(index: Int, url: String)] = []
        for (index, transfer) in transfers.enumerated() {
            try? FileManager.default.removeItem(at: transfer.destination)
            switch transfer.place.location {
            case let .local(path): results[index] = Self.copy(path, to: transfer.destination)
            case let .remote(url): remote.append((index, url))
            }
        }
        guard !remote.isEmpty else { return results }
        let folder = transfers[remote[0].index].destination.deletingLastPathComponent()
        let config = folder.appendingPathComponent(".curl-\(getpid()).conf")
        var text = ""
        for (index, url) in remote {
            text += "url = \"\(Self.quoted(url))\"\noutput = \"\(Self.quoted(transfers[index].destination.path))\"\n"
        }
        do { try text.write(to: config, atomically: true, encoding: .utf8) } catch {
            for (index, _) in remote { results[index] = "cannot write curl's list \(config.path): \(error)" }
            return results
        }
        defer { try? FileManager.default.removeItem(at: config) }
        let command = Command(["curl", "--parallel", "--parallel-max", String(max(1, parallel)), "--fail", "--location",
                               "--silent", "--show-error", "--retry", "2", "--connect-timeout", "20",
                               "--write-out", "%{url}\t%{http_code}\t%{errormsg}\n", "--config", config.path],
                              environment: ["LC_ALL": "C"])
        let output: String
        do { output = try runner.run(command).text } catch let DebianPackagesError.commandFailed(_, status, text) {
            // curl exits non-zero when any transfer failed; the write-out lines say which.
            output = text
            if status == -1 {
                for (index, _) in remote { results[index] = "cannot run curl (install it: apt-get install curl): \(text)" }
                return results
            }
        } catch {
            for (index, _) in remote { results[index] = "\(error)" }
            return results
        }
        var outcome: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            let code = fields[1], message = fields[2]
            if message.isEmpty { outcome[fields[0]] = "" } else {
                outcome[fields[0]] = code == "000" ? message : "HTTP \(code): \(message)"
            }
        }
        for (index, url) in remote {
            let exists = FileManager.default.fileExists(atPath: transfers[index].destination.path)
            switch outcome[url] {
            case "" where exists: results[index] = nil
            case let .some(message) where !message.isEmpty:
                results[index] = message
                try? FileManager.default.removeItem(at: transfers[index].destination)
            default:
                results[index] = "curl reported nothing for it"
                try? FileManager.default.removeItem(at: transfers[index].destination)
            }
        }
        return results
    }

    private static func copy(_ path: String, to destination: URL) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return "no such file" }
        do { try FileManager.default.copyItem(atPath: path, toPath: destination.path) } catch {
            return "cannot copy: \(error.localizedDescription)"
        }
        return nil
    }

    /// Escapes `\` and `"` for a double-quoted value in a curl config file.
    private static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
