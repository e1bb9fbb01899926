import Foundation
import Live
import Planner
import Spec

extension Pseudonym {
    /// The key of the people's pseudonym tags (docs/security.md, PR-comment safety): `review.pseudonym_key` when
    /// set; otherwise derived from the credentials of the workspace's connections, which the plan's readers do not
    /// hold (SHA-256 over a label and the secrets, so nothing of them can be recovered from a tag).
    public static func forWorkspace(_ workspace: Workspace, settings: ClientSettings) throws(LiveError) -> Pseudonym {
        let resolver = SecretResolver(workspace: URL(fileURLWithPath: workspace.directory))
        var material = Array("stoicprov pseudonym key v1".utf8)
        if let reference = workspace.config.review.pseudonymKey {
            let secret = try resolver.resolve(reference, setting: "review.pseudonym_key")
            material += [0] + Array(secret.exposedValue().utf8)
        } else {
            var credentials: [(Credential, String)] = []
            if let workos = settings.workos { credentials.append((workos.apiKey, "connections.workos.api_key")) }
            if let site = settings.thinkific { credentials.append((site.apiKey, "connections.thinkific.api_key")) }
            for app in settings.scim { credentials.append((app.token, "connections.\(app.app).token")) }
            for (credential, setting) in credentials {
                let secret: Secret
                switch credential {
                case .reference(let reference): secret = try resolver.resolve(reference, setting: setting)
                case .value(let value): secret = value
                }
                material += [0] + Array(secret.exposedValue().utf8)
            }
        }
        var hasher = SHA256()
        hasher.update(Data(material))
        return Pseudonym(key: hasher.finalize())
    }
}
