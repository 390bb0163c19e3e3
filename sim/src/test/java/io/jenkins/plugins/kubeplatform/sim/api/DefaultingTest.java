package io.jenkins.plugins.kubeplatform.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The defaults kube-apiserver v1.32 fills in. Every expected object is written out by hand from the functions named in
 * each test (kubernetes/kubernetes pkg/apis/{core,apps,batch,networking}/v1/defaults.go).
 */
class DefaultingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static JsonNode defaulted(String group, String resource, String object) throws Exception {
        return Defaulting.apply(group, resource, json(object));
    }

    /** The defaults SetDefaults_PodSpec and SetDefaults_Container give a pod template with one nginx container. */
    private static final String DEFAULTED_TEMPLATE_SPEC = "{'containers':[{'name':'web','image':'nginx:1.27',"
            + "'imagePullPolicy':'IfNotPresent','terminationMessagePath':'/dev/termination-log',"
            + "'terminationMessagePolicy':'File','resources':{}}],'dnsPolicy':'ClusterFirst','restartPolicy':'Always',"
            + "'securityContext':{},'terminationGracePeriodSeconds':30,'schedulerName':'default-scheduler'}";

    @Test
    void defaultsADeploymentAsSetDefaultsDeploymentAndItsPodTemplateAsSetDefaultsPodSpec() throws Exception {
        JsonNode d = defaulted("apps", "deployments", "{'metadata':{'name':'web'},'spec':{'selector':{'matchLabels':"
                + "{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web',"
                + "'image':'nginx:1.27'}]}}}}");

        assertThat(d).isEqualTo(json("{'metadata':{'name':'web'},'spec':{'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':" + DEFAULTED_TEMPLATE_SPEC + "},"
                + "'replicas':1,'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':'25%',"
                + "'maxSurge':'25%'}},'revisionHistoryLimit':10,'progressDeadlineSeconds':600}}"));
    }

    @Test
    void keepsEveryValueTheObjectCarriesIncludingExplicitZeros() throws Exception {
        String given = "{'spec':{'replicas':0,'revisionHistoryLimit':0,'progressDeadlineSeconds':60,"
                + "'strategy':{'type':'Recreate'},'template':{'spec':{'containers':[{'name':'web','image':'nginx',"
                + "'imagePullPolicy':'Never','terminationMessagePath':'/tmp/t','terminationMessagePolicy':"
                + "'FallbackToLogsOnError','resources':{'limits':{'cpu':'1'}}}],'dnsPolicy':'Default','restartPolicy':"
                + "'OnFailure','securityContext':{'runAsUser':1000},'terminationGracePeriodSeconds':0,"
                + "'schedulerName':'other'}}}}";

        assertThat(defaulted("apps", "deployments", given)).isEqualTo(json(given));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"nginx, Always", "nginx:latest, Always", "nginx:1.27, IfNotPresent",
        "localhost:5000/app, Always", "localhost:5000/app:v1, IfNotPresent", "app@sha256:0a1b, IfNotPresent",
        "registry.local:5000/team/app:latest@sha256:0a1b, Always"})
    void pullsAlwaysOnlyForTheLatestTagAsSetDefaultsContainerReadsIt(String image, String policy) throws Exception {
        JsonNode pod = defaulted("", "pods", "{'spec':{'containers':[{'name':'c','image':'" + image + "'}]}}");

        assertThat(pod.path("spec").path("containers").path(0).path("imagePullPolicy").asText()).isEqualTo(policy);
    }

    @Test
    void givesAPodWhatOnlySetDefaultsPodAddsButNotAPodTemplate() throws Exception {
        String spec = "{'containers':[{'name':'c','image':'nginx:1.27','resources':{'limits':{'cpu':'1','memory':"
                + "'1Gi'},'requests':{'cpu':'500m'}}}]}";

        JsonNode pod = defaulted("", "pods", "{'spec':" + spec + "}").path("spec");
        JsonNode template = defaulted("apps", "replicasets", "{'spec':{'template':{'spec':" + spec + "}}}")
                .path("spec").path("template").path("spec");

        assertThat(pod.path("enableServiceLinks").asBoolean(false)).isTrue();
        assertThat(pod.path("containers").path(0).path("resources").path("requests"))
                .isEqualTo(json("{'cpu':'500m','memory':'1Gi'}"));
        assertThat(template.has("enableServiceLinks")).isFalse();
        assertThat(template.path("containers").path(0).path("resources").path("requests"))
                .isEqualTo(json("{'cpu':'500m'}"));
    }

    @Test
    void defaultsProbesHandlersPortsAndVolumeSources() throws Exception {
        JsonNode spec = defaulted("", "pods", "{'spec':{'containers':[{'name':'c','image':'a:1','ports':["
                + "{'containerPort':80}],'readinessProbe':{'httpGet':{'port':80}},'env':[{'name':'N','valueFrom':"
                + "{'fieldRef':{'fieldPath':'metadata.name'}}}]}],'volumes':[{'name':'a'},{'name':'s','secret':"
                + "{'secretName':'x'}},{'name':'h','hostPath':{'path':'/d'}},{'name':'p','projected':{'sources':["
                + "{'serviceAccountToken':{'path':'t'}}]}}]}}").path("spec");

        JsonNode c = spec.path("containers").path(0);
        assertThat(c.path("ports").path(0)).isEqualTo(json("{'containerPort':80,'protocol':'TCP'}"));
        assertThat(c.path("readinessProbe")).isEqualTo(json("{'httpGet':{'port':80,'path':'/','scheme':'HTTP'},"
                + "'timeoutSeconds':1,'periodSeconds':10,'successThreshold':1,'failureThreshold':3}"));
        assertThat(c.path("env").path(0).path("valueFrom").path("fieldRef"))
                .isEqualTo(json("{'fieldPath':'metadata.name','apiVersion':'v1'}"));
        assertThat(spec.path("volumes")).isEqualTo(json("[{'name':'a','emptyDir':{}},{'name':'s','secret':"
                + "{'secretName':'x','defaultMode':420}},{'name':'h','hostPath':{'path':'/d','type':''}},{'name':'p',"
                + "'projected':{'sources':[{'serviceAccountToken':{'path':'t','expirationSeconds':3600}}],"
                + "'defaultMode':420}}]"));
    }

    @Test
    void defaultsAServiceAsSetDefaultsServiceAndTheRegistryDo() throws Exception {
        JsonNode clusterIp = defaulted("", "services", "{'spec':{'clusterIP':'10.96.0.12','selector':{'app':'web'},"
                + "'ports':[{'port':80},{'port':443,'targetPort':'https','protocol':'TCP'}]}}").path("spec");
        JsonNode nodePort = defaulted("", "services", "{'spec':{'type':'NodePort','ports':[{'port':80}]}}")
                .path("spec");
        JsonNode balancer = defaulted("", "services", "{'spec':{'type':'LoadBalancer','ports':[{'port':80}]}}")
                .path("spec");
        JsonNode external = defaulted("", "services", "{'spec':{'type':'ExternalName','externalName':'a.b'}}")
                .path("spec");
        JsonNode dual = defaulted("", "services", "{'spec':{'ipFamilies':['IPv4','IPv6'],'ports':[{'port':80}]}}")
                .path("spec");

        assertThat(clusterIp).isEqualTo(json("{'clusterIP':'10.96.0.12','selector':{'app':'web'},'ports':["
                + "{'port':80,'protocol':'TCP','targetPort':80},{'port':443,'targetPort':'https','protocol':'TCP'}],"
                + "'sessionAffinity':'None','type':'ClusterIP','internalTrafficPolicy':'Cluster',"
                + "'ipFamilyPolicy':'SingleStack','ipFamilies':['IPv4']}"));
        assertThat(nodePort.path("externalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(nodePort.path("internalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(balancer.path("allocateLoadBalancerNodePorts").asBoolean(false)).isTrue();
        assertThat(dual.path("ipFamilyPolicy").asText()).isEqualTo("RequireDualStack");
        assertThat(dual.path("ipFamilies")).isEqualTo(json("['IPv4','IPv6']"));
        assertThat(external).isEqualTo(json("{'type':'ExternalName','externalName':'a.b','sessionAffinity':'None'}"));
    }

    @Test
    void defaultsJobsAndCronJobsAsTheBatchDefaultsDo() throws Exception {
        String template = "{'metadata':{'labels':{'job':'x'}},'spec':{'restartPolicy':'Never','containers':[{'name':"
                + "'c','image':'busybox:1.36'}]}}";
        JsonNode job = defaulted("batch", "jobs", "{'metadata':{'name':'x'},'spec':{'template':" + template + "}}");
        JsonNode cron = defaulted("batch", "cronjobs", "{'spec':{'schedule':'* * * * *','jobTemplate':{'spec':"
                + "{'template':" + template + "}}}}");

        assertThat(job.path("metadata").path("labels")).isEqualTo(json("{'job':'x'}"));
        assertThat(job.path("spec").path("completions").asInt()).isEqualTo(1);
        assertThat(job.path("spec").path("parallelism").asInt()).isEqualTo(1);
        assertThat(job.path("spec").path("backoffLimit").asInt()).isEqualTo(6);
        assertThat(job.path("spec").path("completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(job.path("spec").path("suspend").isBoolean()).isTrue();
        assertThat(job.path("spec").path("podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
        assertThat(job.path("spec").path("template").path("spec").path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(job.path("spec").path("template").path("spec").path("dnsPolicy").asText()).isEqualTo("ClusterFirst");
        JsonNode cronSpec = cron.path("spec");
        assertThat(cronSpec.path("concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(cronSpec.path("suspend").isBoolean()).isTrue();
        assertThat(cronSpec.path("successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cronSpec.path("failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(cronSpec.path("jobTemplate").path("spec").has("backoffLimit")).isFalse();
        assertThat(cronSpec.path("jobTemplate").path("spec").path("template").path("spec").path("schedulerName")
                .asText()).isEqualTo("default-scheduler");
    }

    @Test
    void defaultsStatefulSetsAndDaemonSetsAsTheAppsDefaultsDo() throws Exception {
        JsonNode set = defaulted("apps", "statefulsets", "{'spec':{'serviceName':'db','volumeClaimTemplates':[{"
                + "'metadata':{'name':'data'},'spec':{'accessModes':['ReadWriteOnce']}}]}}").path("spec");
        JsonNode daemons = defaulted("apps", "daemonsets", "{'spec':{}}").path("spec");

        assertThat(set.path("podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(set.path("updateStrategy")).isEqualTo(json("{'type':'RollingUpdate','rollingUpdate':"
                + "{'partition':0}}"));
        assertThat(set.path("persistentVolumeClaimRetentionPolicy")).isEqualTo(json("{'whenDeleted':'Retain',"
                + "'whenScaled':'Retain'}"));
        assertThat(set.path("replicas").asInt()).isEqualTo(1);
        assertThat(set.path("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(set.path("volumeClaimTemplates").path(0)).isEqualTo(json("{'metadata':{'name':'data'},'spec':"
                + "{'accessModes':['ReadWriteOnce'],'volumeMode':'Filesystem'},'status':{'phase':'Pending'}}"));
        assertThat(daemons).isEqualTo(json("{'updateStrategy':{'type':'RollingUpdate','rollingUpdate':"
                + "{'maxUnavailable':1,'maxSurge':0}},'revisionHistoryLimit':10}"));
    }

    @Test
    void defaultsSecretTypeAndTheNamespaceNameLabelButNotAnIngressPathType() throws Exception {
        assertThat(defaulted("", "secrets", "{'data':{}}").path("type").asText()).isEqualTo("Opaque");
        assertThat(defaulted("", "secrets", "{'type':'kubernetes.io/tls'}").path("type").asText())
                .isEqualTo("kubernetes.io/tls");
        assertThat(defaulted("", "namespaces", "{'metadata':{'name':'team','labels':{'a':'b'}}}").path("metadata")
                .path("labels")).isEqualTo(json("{'a':'b','kubernetes.io/metadata.name':'team'}"));
        String ingress = "{'spec':{'rules':[{'http':{'paths':[{'path':'/','backend':{'service':{'name':'s','port':"
                + "{'number':80}}}}]}}]}}";
        assertThat(defaulted("networking.k8s.io", "ingresses", ingress)).isEqualTo(json(ingress));
    }
}
