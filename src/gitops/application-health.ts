/**
 * Argo CD 1.8 removed the health check of `argoproj.io/Application`, so a root app does not wait for a
 * child to be Healthy and sync waves between children do not order anything. This `argocd-cm` merge patch
 * restores it (operator-manual/health.md, "Argocd App"). Apply it once:
 * `kubectl -n argocd patch configmap argocd-cm --type merge --patch-file dist/bootstrap/argocd-cm-application-health.yaml`
 */
const HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

export const APPLICATION_HEALTH_PATCH = {
  data: { 'resource.customizations.health.argoproj.io_Application': HEALTH_LUA },
};
