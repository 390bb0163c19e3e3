package io.jenkins.plugins.kubeplatform.sim.api;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the Go structs of the built-in API types serialise their scalar fields, which the protobuf descriptors do not
 * tell: Go's protobuf marshaller writes every non-pointer scalar, zero or not, while kube-apiserver's JSON omits a zero
 * one tagged {@code omitempty}; a pointer field ({@code replicas *int32}) is written only when set and keeps an explicit
 * zero; a non-pointer field without {@code omitempty} ({@code containerPort int32 `json:"containerPort"`}) always shows.
 * Also the embedded structs tagged {@code json:",inline"}, which protobuf nests under a field of their own.
 *
 * <p>Derived by hand from the Go type definitions, {@code staging/src/k8s.io/api/<group>/<version>/types.go} of
 * kubernetes/kubernetes (core/v1, apps/v1, batch/v1, policy/v1, networking/v1, autoscaling/v1, authorization/v1,
 * storage/v1, scheduling/v1; rbac/v1 has no pointer scalar) and
 * {@code staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go}: every field declared {@code *int32},
 * {@code *int64}, {@code *bool}, {@code *string} or a pointer to a string type is listed with {@code *}; every numeric
 * or boolean field whose json tag lacks {@code omitempty} with {@code !}; every inline embedded struct with {@code ^}
 * and its protobuf field name. Types are named {@code <group>/<version>.<Type>}. Non-pointer strings without
 * {@code omitempty} are required fields, so a request carrying an empty one is invalid anyway; they are not listed.
 * A field never changes between pointer and value across releases (that would change its JSON), so a types.go of
 * another release differs only by added fields: the versions read (v1.30 core/v1, apps/v1 with v1.33's
 * terminatingReplicas) were completed with the pointer fields v1.32 added (a Job's backoffLimitPerIndex,
 * maxFailedIndexes, podReplacementPolicy, successPolicy, managedBy; a pod's supplementalGroupsPolicy,
 * seLinuxChangePolicy, appArmorProfile, a volume mount's recursiveReadOnly, a service's trafficDistribution).
 */
public final class GoFields {

    private static final String TABLE = """
            apps/v1.RollingUpdateStatefulSetStrategy *partition
            apps/v1.StatefulSetOrdinals !start
            apps/v1.StatefulSetSpec *replicas *revisionHistoryLimit
            apps/v1.StatefulSetStatus !replicas !availableReplicas *collisionCount
            apps/v1.DeploymentSpec *replicas *revisionHistoryLimit *progressDeadlineSeconds *podReplacementPolicy
            apps/v1.DeploymentStatus *terminatingReplicas *collisionCount
            apps/v1.DaemonSetSpec *revisionHistoryLimit
            apps/v1.DaemonSetStatus !currentNumberScheduled !numberMisscheduled !desiredNumberScheduled !numberReady \
            *collisionCount
            apps/v1.ReplicaSetSpec *replicas
            apps/v1.ReplicaSetStatus !replicas *terminatingReplicas
            apps/v1.ControllerRevision !revision
            batch/v1.JobSpec *parallelism *completions *activeDeadlineSeconds *backoffLimit *backoffLimitPerIndex \
            *maxFailedIndexes *manualSelector *ttlSecondsAfterFinished *completionMode *suspend *podReplacementPolicy \
            *managedBy
            batch/v1.JobStatus *ready *terminating *failedIndexes
            batch/v1.PodFailurePolicyOnExitCodesRequirement *containerName
            batch/v1.SuccessPolicyRule *succeededIndexes *succeededCount
            batch/v1.CronJobSpec *timeZone *startingDeadlineSeconds *suspend *successfulJobsHistoryLimit \
            *failedJobsHistoryLimit
            core/v1.Volume ^volumeSource
            core/v1.PersistentVolumeSpec ^persistentVolumeSource *volumeMode *volumeAttributesClassName
            core/v1.PersistentVolumeClaimSpec *storageClassName *volumeMode *volumeAttributesClassName
            core/v1.PersistentVolumeClaimStatus *currentVolumeAttributesClassName
            core/v1.TypedObjectReference *apiGroup *namespace
            core/v1.TypedLocalObjectReference *apiGroup
            core/v1.HostPathVolumeSource *type
            core/v1.GlusterfsPersistentVolumeSource *endpointsNamespace
            core/v1.ISCSIVolumeSource !lun *initiatorName
            core/v1.ISCSIPersistentVolumeSource !lun *initiatorName
            core/v1.FCVolumeSource *lun
            core/v1.AzureFilePersistentVolumeSource *secretNamespace
            core/v1.AzureDiskVolumeSource *cachingMode *fsType *readOnly *kind
            core/v1.CSIVolumeSource *readOnly *fsType
            core/v1.LocalVolumeSource *fsType
            core/v1.SecretVolumeSource *defaultMode *optional
            core/v1.SecretProjection ^localObjectReference *optional
            core/v1.ConfigMapVolumeSource ^localObjectReference *defaultMode *optional
            core/v1.ConfigMapProjection ^localObjectReference *optional
            core/v1.ConfigMapKeySelector ^localObjectReference *optional
            core/v1.SecretKeySelector ^localObjectReference *optional
            core/v1.ConfigMapEnvSource ^localObjectReference *optional
            core/v1.SecretEnvSource ^localObjectReference *optional
            core/v1.DownwardAPIVolumeSource *defaultMode
            core/v1.DownwardAPIVolumeFile *mode
            core/v1.ProjectedVolumeSource *defaultMode
            core/v1.KeyToPath *mode
            core/v1.ServiceAccountTokenProjection *expirationSeconds
            core/v1.ClusterTrustBundleProjection *name *signerName *optional
            core/v1.ContainerPort !containerPort
            core/v1.VolumeMount *mountPropagation *recursiveReadOnly
            core/v1.GRPCAction !port *service
            core/v1.SleepAction !seconds
            core/v1.Probe ^handler *terminationGracePeriodSeconds
            core/v1.Container *restartPolicy
            core/v1.EphemeralContainer ^ephemeralContainerCommon
            core/v1.EphemeralContainerCommon *restartPolicy
            core/v1.ContainerStateTerminated !exitCode
            core/v1.ContainerStatus !ready !restartCount *started
            core/v1.WeightedPodAffinityTerm !weight
            core/v1.PreferredSchedulingTerm !weight
            core/v1.Toleration *tolerationSeconds
            core/v1.PodSpec *terminationGracePeriodSeconds *activeDeadlineSeconds *automountServiceAccountToken \
            *shareProcessNamespace *priority *runtimeClassName *enableServiceLinks *preemptionPolicy \
            *setHostnameAsFQDN *hostUsers
            core/v1.ClaimSource *resourceClaimName *resourceClaimTemplateName
            core/v1.PodResourceClaim *resourceClaimName *resourceClaimTemplateName
            core/v1.PodResourceClaimStatus *resourceClaimName
            core/v1.TopologySpreadConstraint !maxSkew *minDomains *nodeAffinityPolicy *nodeTaintsPolicy
            core/v1.PodSecurityContext *runAsUser *runAsGroup *runAsNonRoot *fsGroup *fsGroupChangePolicy \
            *supplementalGroupsPolicy *seLinuxChangePolicy
            core/v1.SecurityContext *privileged *runAsUser *runAsGroup *runAsNonRoot *readOnlyRootFilesystem \
            *allowPrivilegeEscalation *procMount
            core/v1.SeccompProfile *localhostProfile
            core/v1.AppArmorProfile *localhostProfile
            core/v1.WindowsSecurityContextOptions *gmsaCredentialSpecName *gmsaCredentialSpec *runAsUserName \
            *hostProcess
            core/v1.PodDNSConfigOption *value
            core/v1.ReplicationControllerSpec *replicas
            core/v1.ReplicationControllerStatus !replicas
            core/v1.ClientIPConfig *timeoutSeconds
            core/v1.LoadBalancerIngress *ipMode
            core/v1.PortStatus !port *error
            core/v1.ServiceSpec *ipFamilyPolicy *allocateLoadBalancerNodePorts *loadBalancerClass \
            *internalTrafficPolicy *trafficDistribution
            core/v1.ServicePort *appProtocol !port
            core/v1.ServiceAccount *automountServiceAccountToken
            core/v1.EndpointAddress *nodeName
            core/v1.EndpointPort *appProtocol !port
            core/v1.DaemonEndpoint !Port
            core/v1.Secret *immutable
            core/v1.ConfigMap *immutable
            core/v1.PodLogOptions *sinceSeconds *tailLines *limitBytes
            policy/v1.PodDisruptionBudgetSpec *unhealthyPodEvictionPolicy
            policy/v1.PodDisruptionBudgetStatus !disruptionsAllowed !currentHealthy !desiredHealthy !expectedPods
            networking/v1.IngressSpec *ingressClassName
            networking/v1.HTTPIngressPath *pathType
            networking/v1.IngressPortStatus !port *error
            networking/v1.IngressClassParametersReference *apiGroup *scope *namespace
            networking/v1.NetworkPolicyPort *protocol *endPort
            autoscaling/v1.HorizontalPodAutoscalerSpec *minReplicas !maxReplicas *targetCPUUtilizationPercentage
            autoscaling/v1.HorizontalPodAutoscalerStatus *observedGeneration !currentReplicas !desiredReplicas \
            *currentCPUUtilizationPercentage
            autoscaling/v1.ScaleStatus !replicas
            authorization/v1.SubjectAccessReviewStatus !allowed
            authorization/v1.SubjectRulesReviewStatus !incomplete
            scheduling/v1.PriorityClass !value *preemptionPolicy
            storage/v1.StorageClass *reclaimPolicy *allowVolumeExpansion *volumeBindingMode
            storage/v1.CSIDriverSpec *attachRequired *podInfoOnMount *storageCapacity *fsGroupPolicy \
            *requiresRepublish *seLinuxMount
            storage/v1.VolumeNodeResources *count
            storage/v1.VolumeAttachmentSource *persistentVolumeName
            storage/v1.VolumeAttachmentStatus !attached
            storage/v1.VolumeError *errorCode
            meta/v1.ObjectMeta *deletionGracePeriodSeconds
            meta/v1.OwnerReference *controller *blockOwnerDeletion
            meta/v1.ListMeta *remainingItemCount
            meta/v1.DeleteOptions *gracePeriodSeconds *orphanDependents *propagationPolicy \
            *ignoreStoreReadErrorWithClusterBreakingPotential
            meta/v1.Preconditions *uid *resourceVersion
            """;

    private static final Map<String, Set<String>> POINTERS = new HashMap<>();
    private static final Map<String, Set<String>> ALWAYS_WRITTEN = new HashMap<>();
    private static final Map<String, Set<String>> INLINE = new HashMap<>();

    static {
        for (String line : TABLE.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 1; i < words.length; i++) {
                Map<String, Set<String>> kind = switch (words[i].charAt(0)) {
                    case '*' -> POINTERS;
                    case '!' -> ALWAYS_WRITTEN;
                    case '^' -> INLINE;
                    default -> throw new IllegalStateException("bad GoFields entry " + words[i]);
                };
                kind.computeIfAbsent(words[0], k -> new HashSet<>()).add(words[i].substring(1));
            }
        }
    }

    private GoFields() {
    }

    /**
     * The table's name of a protobuf message: {@code core/v1.PodSpec} for {@code k8s.io.api.core.v1.PodSpec},
     * {@code meta/v1.ObjectMeta} for {@code k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta}.
     */
    public static String typeName(String protoFullName) {
        String name = protoFullName.startsWith("k8s.io.api.") ? protoFullName.substring("k8s.io.api.".length())
                : protoFullName.startsWith("k8s.io.apimachinery.pkg.apis.")
                ? protoFullName.substring("k8s.io.apimachinery.pkg.apis.".length()) : protoFullName;
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot) + "/" + name.substring(dot + 1);
    }

    /** Whether the JSON the API server writes keeps this scalar field when it holds its zero value. */
    public static boolean keepsZero(String type, String field) {
        return POINTERS.getOrDefault(type, Set.of()).contains(field)
                || ALWAYS_WRITTEN.getOrDefault(type, Set.of()).contains(field);
    }

    /** Whether this field is an embedded struct whose fields JSON writes in place ({@code json:",inline"}). */
    public static boolean isInline(String type, String field) {
        return INLINE.getOrDefault(type, Set.of()).contains(field);
    }
}
