// SPDX-License-Identifier: Apache-2.0

/// The steps of one image build in dependency order (every step after the
/// steps it depends on), with their cache keys.
package struct ImagePlan: Sendable, Equatable {
    /// Steps, dependencies first.
    package private(set) var steps: [PlannedStep]
    private var index: [String: Int]

    /// Creates a plan; steps must come after their dependencies and have unique ids.
    package init(steps: [PlannedStep]) throws(BuildError) {
        var index: [String: Int] = [:]
        for (position, step) in steps.enumerated() {
            for dependency in step.dependencies where index[dependency] == nil {
                throw .planStepFailed(id: step.id, reason: "depends on '\(dependency)', which is not planned before it")
            }
            guard index.updateValue(position, forKey: step.id) == nil else {
                throw .planStepFailed(id: step.id, reason: "planned twice")
            }
        }
        self.steps = steps
        self.index = index
    }

    /// The step with identifier `id`, if planned.
    package subscript(id: String) -> PlannedStep? {
        index[id].map { steps[$0] }
    }

    /// Every step identifier.
    package var ids: [String] { steps.map(\.id) }

    /// `ids` and every step that depends on them, directly or not.
    package func downstream(of ids: Set<String>) -> Set<String> {
        var result = ids
        for step in steps where step.dependencies.contains(where: result.contains) {
            result.insert(step.id)
        }
        return result
    }

    /// Identifiers of the steps whose keys differ from `other`'s (or that `other` lacks).
    package func changedSteps(since other: ImagePlan) -> Set<String> {
        Set(steps.filter { other[$0.id]?.key != $0.key }.map(\.id))
    }
}
