import Apply
import Live
import Operations
import Sandbox
import Views

extension ClientSettings {
    /// Every connection pointed at a running sandbox (`--sandbox URL`) with the sandbox's default credentials, so any
    /// workspace can be tried without touching production. Rate limits stay as configured.
    func pointed(atSandbox root: String) -> ClientSettings {
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
}
