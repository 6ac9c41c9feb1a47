using k8s.Models;
using Orleans.Hosting.Kubernetes;

namespace Registry.Unit.Tests.Deployment;

/// <summary>
/// The Kubernetes description of a deployment across zones (<c>cluster-config/kubernetes</c>) is what a cluster would
/// accept, and keeps the promises its README makes: the labels Orleans' Kubernetes hosting matches pods by, silo ports
/// reachable only from silos and the API, images pinned, resources and probes set, secrets only referenced.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const string Silo = "registry-silo";
    private const string Api = "registry-api";
    private const string Migration = "registry-migration";

    /// <summary>Every document is a known kind with only known fields of the right types, and every kustomization lists its folder whole.</summary>
    [Fact]
    public void Every_manifest_is_a_known_kind_with_only_known_fields()
    {
        Assert.NotEmpty(KubernetesManifests.ManifestFiles());
        var kinds = KubernetesManifests.All.Select(manifest => manifest.Kind).ToHashSet();
        Assert.Superset(
            new HashSet<string> { "Namespace", "NetworkPolicy", "Cluster", "ObjectStore", "ScheduledBackup", "Job", "ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget" },
            kinds);

        foreach (var kustomization in Directory.EnumerateFiles(KubernetesManifests.Folder, "kustomization.yaml", SearchOption.AllDirectories))
        {
            var folder = Path.GetDirectoryName(kustomization)!;
            var listed = KubernetesManifests.ToJson(File.ReadAllText(kustomization), kustomization)["resources"]!.AsArray()
                .Select(resource => resource!.GetValue<string>()).Order(StringComparer.Ordinal);
            var present = Directory.EnumerateFiles(folder, "*.yaml").Select(Path.GetFileName).Where(name => name != "kustomization.yaml").Order(StringComparer.Ordinal);
            Assert.Equal(present, listed);
        }
    }

    /// <summary>The reading is strict: a misspelt field, a wrong type or an unknown kind is refused, for built-in and CloudNativePG kinds alike.</summary>
    [Theory]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 3\n")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n    - port: eighty\n")]
    [InlineData("apiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: x\n")]
    [InlineData("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: x\n  namespace: y\nspec:\n  instances: 3\n  storage:\n    size: 1Gi\n  postgresql:\n    synchronus:\n      method: any\n      number: 1\n")]
    [InlineData("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: x\n  namespace: y\nspec:\n  instances: \"3\"\n  storage:\n    size: 1Gi\n")]
    [InlineData("apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: x\n  namespace: y\nspec:\n  schedule: \"0 1 * * *\"\n  cluster:\n    name: x\n")]
    public void A_manifest_the_cluster_would_refuse_is_refused(string yaml)
    {
        Assert.Throws<InvalidManifestException>(() => KubernetesManifests.Read("inline.yaml", yaml));
    }

    /// <summary>
    /// Silo pods carry the labels the hosting selects this cluster's pods by, equal to the ids the silos and the API are
    /// configured with, and get their name, namespace and address from the downward API; the API's pods do not carry
    /// them (they are clients, not members); the silos' account may read, watch and label pods.
    /// </summary>
    [Fact]
    public void Silo_pods_carry_what_orleans_kubernetes_hosting_needs()
    {
        var silo = Deployment(Silo).Spec.Template;
        var env = Settings(silo);
        Assert.Equal(env["Orleans__ServiceId"], silo.Metadata.Labels[KubernetesHostingOptions.ServiceIdLabel]);
        Assert.Equal(env["Orleans__ClusterId"], silo.Metadata.Labels[KubernetesHostingOptions.ClusterIdLabel]);
        Assert.Equal("true", env["Silo__Kubernetes"]);
        Assert.Equal("$(POD_NAME)", env["Silo__Name"]);
        Assert.Equal("$(POD_IP)", env["Silo__AdvertisedIP"]);
        Assert.Equal("$(POD_IP)", env["Silo__HttpAddress"]);
        var downward = silo.Spec.Containers.Single().Env.Where(variable => variable.ValueFrom?.FieldRef is not null)
            .ToDictionary(variable => variable.Name, variable => variable.ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.name", downward[KubernetesHostingOptions.PodNameEnvironmentVariable]);
        Assert.Equal("metadata.namespace", downward[KubernetesHostingOptions.PodNamespaceEnvironmentVariable]);
        Assert.Equal("status.podIP", downward[KubernetesHostingOptions.PodIPEnvironmentVariable]);

        var api = Deployment(Api).Spec.Template;
        Assert.Equal(env["Orleans__ServiceId"], Settings(api)["Orleans__ServiceId"]);
        Assert.Equal(env["Orleans__ClusterId"], Settings(api)["Orleans__ClusterId"]);
        Assert.DoesNotContain(api.Metadata.Labels.Keys, label => label.StartsWith("orleans/", StringComparison.Ordinal));

        var binding = KubernetesManifests.OfType<V1RoleBinding>().Single(binding => binding.Subjects.Any(subject => subject.Name == silo.Spec.ServiceAccountName));
        var role = KubernetesManifests.OfType<V1Role>().Single(role => role.Metadata.Name == binding.RoleRef.Name);
        var pods = role.Rules.Single(rule => rule.Resources.Contains("pods"));
        Assert.Equal(["get", "list", "watch", "patch"], pods.Verbs);
        Assert.True(silo.Spec.AutomountServiceAccountToken);
    }

    /// <summary>
    /// The namespace refuses every connection no policy admits, and the policies admit exactly this table: silo ports
    /// from silos and the API only, the silos' HTTP port from the operators only, PostgreSQL from the registry's own
    /// pods and its operator, the API from the ingress controller. A rule without ports or peers would admit more.
    /// </summary>
    [Fact]
    public void Network_policies_keep_silo_ports_private()
    {
        var policies = KubernetesManifests.OfType<V1NetworkPolicy>().ToList();
        Assert.Contains(policies, policy => policy.Spec.PodSelector.MatchLabels is null && policy.Spec.Ingress is null && policy.Spec.PolicyTypes.SequenceEqual(["Ingress"]));

        var admitted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies.Where(policy => policy.Spec.Ingress is not null))
        {
            var target = Describe(policy.Spec.PodSelector);
            foreach (var rule in policy.Spec.Ingress)
            {
                Assert.NotEmpty(rule.Ports ?? []);
                Assert.NotEmpty(rule.FromProperty ?? []);
                foreach (var port in rule.Ports!)
                {
                    foreach (var peer in rule.FromProperty!)
                    {
                        Assert.Null(peer.IpBlock);
                        var from = peer.NamespaceSelector is null ? Describe(peer.PodSelector) : $"namespace {peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]}";
                        admitted.Add($"{target}:{port.Port.Value} <- {from}");
                    }
                }
            }
        }

        Assert.Equal(
            new SortedSet<string>(StringComparer.Ordinal)
            {
                $"{Silo}:11111 <- {Silo}",
                $"{Silo}:30000 <- {Api}",
                $"{Silo}:8081 <- namespace registry-operators",
                $"{Api}:8080 <- namespace ingress-nginx",
                $"{Api}:8080 <- namespace registry-operators",
                $"registry-pg:5432 <- {Silo}",
                $"registry-pg:5432 <- {Api}",
                $"registry-pg:5432 <- {Migration}",
                "registry-pg:5432 <- registry-pg",
                "registry-pg:5432 <- namespace cnpg-system",
                "registry-pg:8000 <- registry-pg",
                "registry-pg:8000 <- namespace cnpg-system",
                "registry-pg:9187 <- namespace registry-operators",
            },
            admitted);

        var siloPorts = Deployment(Silo).Spec.Template.Spec.Containers.Single().Ports.Select(port => port.ContainerPort).Order();
        Assert.Equal([8081, 11111, 30000], siloPorts);
    }

    /// <summary>Every image, the registry's and PostgreSQL's, names a version: a rollout is the release it says, never whatever "latest" is that day.</summary>
    [Fact]
    public void Every_image_is_pinned_by_tag()
    {
        var images = Pods().SelectMany(pod => pod.Spec.Containers).Select(container => container.Image)
            .Concat(KubernetesManifests.Custom("postgresql.cnpg.io/v1", "Cluster").Select(cluster => cluster["spec"]!["imageName"]!.GetValue<string>()))
            .ToList();

        Assert.Equal(4, images.Count);
        Assert.All(images, image =>
        {
            var tag = image[(image.LastIndexOf('/') + 1)..].Split(':');
            Assert.True(tag.Length == 2 && tag[1].Length > 0 && tag[1] != "latest", $"{image} is not pinned by tag.");
        });

        // One release: the silos, the API and the migration Job of the same version.
        var registryTags = Pods().SelectMany(pod => pod.Spec.Containers).Select(container => container.Image.Split(':')[1]).Distinct();
        Assert.Single(registryTags);
    }

    /// <summary>Every container asks for CPU and memory and caps memory; the long-running ones have startup, liveness and readiness probes.</summary>
    [Fact]
    public void Every_container_has_resources_and_the_long_running_ones_probes()
    {
        foreach (var container in Pods().SelectMany(pod => pod.Spec.Containers))
        {
            Assert.True(container.Resources?.Requests?.ContainsKey("cpu") == true, $"{container.Name} requests no CPU.");
            Assert.True(container.Resources.Requests.ContainsKey("memory"), $"{container.Name} requests no memory.");
            Assert.True(container.Resources.Limits?.ContainsKey("memory") == true, $"{container.Name} has no memory limit.");
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        }

        foreach (var container in KubernetesManifests.OfType<V1Deployment>().SelectMany(deployment => deployment.Spec.Template.Spec.Containers))
        {
            Assert.Equal("/health/live", container.StartupProbe.HttpGet.Path);
            Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
        }

        var database = KubernetesManifests.Custom("postgresql.cnpg.io/v1", "Cluster").Single();
        Assert.NotNull(database["spec"]!["resources"]!["requests"]!["memory"]);
        Assert.NotNull(database["spec"]!["resources"]!["limits"]!["memory"]);
    }

    /// <summary>No Secret is written in the manifests; passwords and keys come from Secrets by reference, and no connection string holds one.</summary>
    [Fact]
    public void Secrets_are_only_referenced()
    {
        Assert.DoesNotContain(KubernetesManifests.All, manifest => manifest.Kind is "Secret" or "ConfigMap");
        foreach (var variable in Pods().SelectMany(pod => pod.Spec.Containers).SelectMany(container => container.Env))
        {
            if (variable.Name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || variable.Name.EndsWith("Key", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Null(variable.Value);
                Assert.NotNull(variable.ValueFrom.SecretKeyRef);
            }

            Assert.DoesNotContain("Password=", variable.Value ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// A silo is killed only after the host's graceful stop had its time (grains handed over, membership left), voluntary
    /// disruptions take one silo at a time, and a rollout adds a silo before it removes one.
    /// </summary>
    [Fact]
    public void A_stopping_silo_has_time_to_hand_its_grains_over()
    {
        var silo = Deployment(Silo);
        var graceful = int.Parse(Settings(silo.Spec.Template)["shutdownTimeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(silo.Spec.Template.Spec.TerminationGracePeriodSeconds >= graceful + 15, "The kubelet would kill the silo before the host's stop ends.");
        Assert.Equal("0", silo.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);

        var budget = KubernetesManifests.OfType<V1PodDisruptionBudget>().Single(budget => budget.Spec.Selector.MatchLabels["app.kubernetes.io/name"] == Silo);
        Assert.Equal("1", budget.Spec.MaxUnavailable.Value);
    }

    /// <summary>Silos and the API spread evenly over zones; PostgreSQL keeps three instances over two zones, each commit waiting for both replicas.</summary>
    [Fact]
    public void The_cluster_is_spread_over_zones_and_postgresql_commits_synchronously()
    {
        foreach (var name in new[] { Silo, Api })
        {
            var spread = Deployment(name).Spec.Template.Spec.TopologySpreadConstraints.Single(constraint => constraint.TopologyKey == "topology.kubernetes.io/zone");
            Assert.Equal(1, spread.MaxSkew);
            Assert.Equal("DoNotSchedule", spread.WhenUnsatisfiable);
        }

        var spec = KubernetesManifests.Custom("postgresql.cnpg.io/v1", "Cluster").Single()["spec"]!;
        Assert.Equal(3, spec["instances"]!.GetValue<long>());
        var synchronous = spec["postgresql"]!["synchronous"]!;
        Assert.Equal("any", synchronous["method"]!.GetValue<string>());
        Assert.Equal(spec["instances"]!.GetValue<long>() - 1, synchronous["number"]!.GetValue<long>());
        Assert.Contains(spec["topologySpreadConstraints"]!.AsArray(), constraint => constraint!["topologyKey"]!.GetValue<string>() == "topology.kubernetes.io/zone");
        var zones = spec["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!["values"]!.AsArray();
        Assert.Equal(2, zones.Count);

        // The WAL archive goes to an object store that exists, through a schedule of this cluster.
        var archiver = spec["plugins"]!.AsArray().Single(plugin => plugin!["isWALArchiver"]?.GetValue<bool>() == true)!;
        var store = archiver["parameters"]!["barmanObjectName"]!.GetValue<string>();
        Assert.Contains(KubernetesManifests.Custom("barmancloud.cnpg.io/v1", "ObjectStore"), candidate => candidate["metadata"]!["name"]!.GetValue<string>() == store);
        var cluster = KubernetesManifests.Custom("postgresql.cnpg.io/v1", "Cluster").Single()["metadata"]!["name"]!.GetValue<string>();
        Assert.Contains(KubernetesManifests.Custom("postgresql.cnpg.io/v1", "ScheduledBackup"), backup => backup["spec"]!["cluster"]!["name"]!.GetValue<string>() == cluster);
    }

    /// <summary>The migration is <c>registry-admin migrate</c> as a Job of its own step, named after the release, never part of the rollout it must precede.</summary>
    [Fact]
    public void The_migration_is_a_job_of_its_own_step()
    {
        var job = KubernetesManifests.OfType<V1Job>().Single();
        var container = job.Spec.Template.Spec.Containers.Single();
        Assert.Equal(["migrate"], container.Args);
        Assert.Contains("/admin:", container.Image, StringComparison.Ordinal);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        var version = container.Image.Split(':')[1];
        Assert.EndsWith(version.Replace('.', '-'), job.Metadata.Name, StringComparison.Ordinal);

        var jobFile = KubernetesManifests.All.Single(manifest => manifest.Kind == "Job").File;
        var rolloutFiles = KubernetesManifests.All.Where(manifest => manifest.Kind == "Deployment").Select(manifest => manifest.File);
        Assert.All(rolloutFiles, file => Assert.NotEqual(Path.GetDirectoryName(jobFile), Path.GetDirectoryName(file)));
    }

    private static V1Deployment Deployment(string name) => KubernetesManifests.OfType<V1Deployment>().Single(deployment => deployment.Metadata.Name == name);

    private static IEnumerable<V1PodTemplateSpec> Pods() =>
        KubernetesManifests.OfType<V1Deployment>().Select(deployment => deployment.Spec.Template)
            .Concat(KubernetesManifests.OfType<V1Job>().Select(job => job.Spec.Template));

    private static Dictionary<string, string> Settings(V1PodTemplateSpec pod) =>
        pod.Spec.Containers.Single().Env.Where(variable => variable.Value is not null).ToDictionary(variable => variable.Name, variable => variable.Value);

    private static string Describe(V1LabelSelector selector) =>
        selector.MatchLabels.TryGetValue("app.kubernetes.io/name", out var name) ? name : selector.MatchLabels["cnpg.io/cluster"];
}
