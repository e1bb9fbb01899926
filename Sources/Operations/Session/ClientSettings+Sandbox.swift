import Live
import Sandbox
import Spec

extension ClientSettings {
    /// Every connection pointed at a running sandbox (`--sandbox URL`) with the sandbox's default credentials, so any
    /// workspace can be tried without touching production. Rate limits stay as configured.
    public func pointed(atSandbox root: String) -> ClientSettings {
        var settings = self
        if var thinkific = settings.thinkific {
            thinkific.subdomain = SandboxDefaults.thinkificSubdomain
            thinkific.apiKey = .value(Secret(SandboxDefaults.thinkificAPIKey))
            thinkific.baseURL = SandboxDefaults.thinkificBase(root)
            settings.thinkific = thinkific
        }
        if var workos = settings.workos {
            workos.apiKey = .value(Secret(SandboxDefaults.workosAPIKey))
            workos.baseURL = SandboxDefaults.workosBase(root)
            settings.workos = workos
        }
        settings.scim = settings.scim.map { app in
            var app = app
            app.baseURL = SandboxDefaults.scimBase(root, app: app.app)
            app.token = .value(Secret(SandboxDefaults.scimToken(app: app.app)))
            return app
        }
        return settings
    }

    /// The connections of `workspace`'s `stoicprov.yaml`, pointed at the sandbox at `sandbox` when one is given.
    public init(_ workspace: Workspace, sandbox: String?) {
        let settings = ClientSettings(workspace.config.connections)
        self = sandbox.map { settings.pointed(atSandbox: $0) } ?? settings
    }

    /// Thinkific, WorkOS and the SCIM `apps` of the sandbox at `root`, on its default credentials, unpaced: what the
    /// end-to-end tests and benchmarks observe and apply through.
    public static func sandbox(_ root: String, scimApps apps: [String] = ["insights"]) -> ClientSettings {
        ClientSettings(
            thinkific: Thinkific(subdomain: "", apiKey: .value(Secret("")), requestsPerMinute: nil),
            workos: WorkOS(apiKey: .value(Secret("")), requestsPerMinute: nil),
            scim: apps.map { SCIM(app: $0, baseURL: "", token: .value(Secret(""))) }
        ).pointed(atSandbox: root)
    }

    /// The same connections with no pacing: for a sandbox without a rate limit, so nothing waits for nothing.
    public var unpaced: ClientSettings {
        var settings = self
        settings.thinkific?.requestsPerMinute = nil
        settings.workos?.requestsPerMinute = nil
        settings.scim = settings.scim.map { app in
            var app = app
            app.requestsPerMinute = nil
            return app
        }
        return settings
    }
}
