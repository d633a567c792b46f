// SPDX-License-Identifier: GPL-2.0-only OR MIT

extension InitSystem {
    /// Loads the table's modules without a modprobe program: reads
    /// /lib/modules/RELEASE/modules.dep (and modules.builtin), then loads each
    /// module's dependencies and the module with finit_module(2), each file once.
    /// A module that fails is logged and skipped (its service then fails to
    /// start and is reported), as with modprobe.
    func loadModulesItself() {
        guard !table.modules.isEmpty else { return }
        guard let release = control.kernelRelease() else {
            control.log("error: cannot read the kernel release (uname); no modules loaded")
            return
        }
        let folder = "/lib/modules/" + release
        let depPath = folder + "/modules.dep"
        guard let dep = control.readFile(depPath) else {
            control.log("error: cannot read " + depPath + "; no modules loaded")
            return
        }
        let dependencies = ModuleDependencies(modulesDep: dep, modulesBuiltin: control.readFile(folder + "/modules.builtin") ?? "")
        var loaded: Set<String> = []
        for module in table.modules {
            if powerRequest != nil { return }
            switch dependencies.plan(for: module.name) {
            case .builtin:
                control.log("module " + module.name + " is built into the kernel")
            case .unknown:
                control.log("error: " + InitError.moduleNotFound(name: module.name, modulesDep: depPath).description)
            case .load(let paths):
                do throws(InitError) {
                    for path in paths where !loaded.contains(path) {
                        // Parameters belong to the named module, not to its dependencies.
                        let isModule = path == paths.last
                        try control.loadModule(path: folder + "/" + path,
                                               parameters: isModule ? joined(module.parameters) : "")
                        loaded.insert(path)
                    }
                    control.log("loaded module " + module.name)
                } catch {
                    control.log("error: cannot load module " + module.name + ": " + error.description)
                }
            }
        }
    }

    private func joined(_ words: [String]) -> String {
        var text = ""
        for word in words { text += text.isEmpty ? word : " " + word }
        return text
    }
}
