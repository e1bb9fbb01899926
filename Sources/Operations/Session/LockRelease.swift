import Apply
import Foundation
import Spec

/// `apply --force-unlock ID`: removes the lock `ID` left by an apply that is no longer running, whichever tenant of
/// the workspace holds it.
public enum LockRelease {
    /// Removes lock `id` and returns the tenant that held it; `nil` when no tenant of `workspace` holds it.
    public static func release(_ id: String, in workspace: Workspace) throws(ApplyError) -> String? {
        let root = URL(fileURLWithPath: workspace.directory)
        guard let tenant = workspace.tenants.first(where: { TenantLock.current(workspace: root, tenant: $0.id)?.id == id })
        else { return nil }
        try TenantLock.forceUnlock(workspace: root, tenant: tenant.id, id: id)
        return tenant.id
    }
}
