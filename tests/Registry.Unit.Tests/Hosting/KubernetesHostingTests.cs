using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;
using Registry.ServiceDefaults;
using Registry.Silo.Hosting;
using Registry.Tokens;

namespace Registry.Unit.Tests.Hosting;

/// <summary>
/// A silo in a pod (<c>cluster-config/kubernetes/registry/silo.yaml</c>): Orleans' Kubernetes hosting only when
/// <c>Silo:Kubernetes</c> says so, the pod's address accepted for health and refused to be left at loopback, and the
/// host's graceful stop as long as the manifest grants it.
/// </summary>
public sealed class KubernetesHostingTests
{
    private const string PodAddress = "10.244.3.17";

    /// <summary>Pod networks in RFC 6598's shared address space are private too: health answers there, and the rest of that block stays refused.</summary>
    [Theory]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    public void A_pod_address_in_the_shared_address_space_is_accepted_for_health(string address)
    {
        using var silo = Build(("Silo:HttpAddress", address)).Build();

        var endpoints = silo.Services.GetRequiredService<IOptions<SiloEndpointOptions>>().Value;

        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), endpoints.HttpPort), endpoints.HttpEndpoint());
        Assert.False(SiloEndpointOptions.IsLoopbackOrPrivate(IPAddress.Parse("100.128.0.1")));
        Assert.False(SiloEndpointOptions.IsLoopbackOrPrivate(IPAddress.Parse("100.63.255.255")));
    }

    /// <summary>Under Kubernetes the loopback defaults would send every peer to itself and the kubelet's probes nowhere: the silo refuses to start, naming both keys.</summary>
    [Fact]
    public async Task A_silo_in_a_pod_refuses_loopback_addresses_naming_both_keys()
    {
        using var silo = Build(("Silo:Kubernetes", "true")).Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());

        Assert.Contains("Silo:AdvertisedIP must be the pod's IP address when Silo:Kubernetes is true", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Silo:HttpAddress must be the pod's IP address when Silo:Kubernetes is true", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>With Silo:Kubernetes the silo advertises the pod's address, listens on the pod's interfaces and watches the pods; without it, nothing of Kubernetes is registered.</summary>
    [Fact]
    public void Kubernetes_hosting_is_used_only_when_configured()
    {
        var inPod = Build(("Silo:Kubernetes", "true"), ("Silo:AdvertisedIP", PodAddress), ("Silo:HttpAddress", PodAddress));
        var onHost = Build(("Silo:AdvertisedIP", PodAddress), ("Silo:HttpAddress", PodAddress));

        Assert.Contains(inPod.Services, service => service.ImplementationType == typeof(KubernetesClusterAgent));
        Assert.DoesNotContain(onHost.Services, service => service.ImplementationType == typeof(KubernetesClusterAgent));

        using var silo = inPod.Build();
        var endpoints = silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse(PodAddress), endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
    }

    /// <summary>The manifest's <c>shutdownTimeoutSeconds</c> reaches the host: the silo gets that long to hand its grains over before the host gives up.</summary>
    [Fact]
    public void The_graceful_stop_lasts_as_long_as_configured()
    {
        using var silo = Build(("shutdownTimeoutSeconds", "100")).Build();

        Assert.Equal(TimeSpan.FromSeconds(100), silo.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static WebApplicationBuilder Build(params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            // Never connected to: nothing here starts the silo past its start-up check.
            [RegistryDatabase.ConnectionStringKey] = "Host=127.0.0.1;Port=1;Database=unused",
            ["Registry:Auth:Issuer"] = "registry-tests",
            ["Registry:Auth:Audience"] = "registry-api",
            ["Registry:Auth:SigningKey"] = Convert.ToBase64String(new byte[RegistryAuthOptions.MinimumKeyBytes]),
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.AddRegistrySilo();
        return builder;
    }
}
