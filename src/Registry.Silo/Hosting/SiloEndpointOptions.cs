using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Registry.Silo.Hosting;

/// <summary>
/// Where this silo listens, from configuration section <c>Silo</c> (environment <c>Silo__SiloPort</c> …).
/// Several silos on one machine each need their own silo, gateway and HTTP ports.
/// </summary>
public sealed class SiloEndpointOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Silo";

    /// <summary>Longest name: the membership table's column holds 150 characters.</summary>
    public const int MaxNameLength = 150;

    /// <summary>Name shown on the dashboard and in the membership table; under <see cref="Kubernetes"/> the pod's name.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Silo-to-silo port (Orleans default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to (Orleans default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at; loopback for a one-machine cluster.</summary>
    public string AdvertisedIP { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>
    /// Listen on every interface rather than only the advertised address (containers, NAT); the HTTP port too, since a
    /// container's own address is not known in advance: its published ports are then the door.
    /// </summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>
    /// The address of the HTTP port (health, dashboard): loopback, or a private address of the operators' network. The
    /// dashboard checks tokens, but what nobody outside can reach cannot be attacked from outside.
    /// </summary>
    public string HttpAddress { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>The HTTP port (health for probes, the dashboard for operators).</summary>
    public int HttpPort { get; set; } = 8081;

    /// <summary>
    /// Runs under Orleans' Kubernetes hosting (<c>cluster-config/kubernetes</c>): the silo takes its name from the pod
    /// (<c>POD_NAME</c>), and two of the silos watch the pods labelled with this cluster's ids, so that a silo whose pod
    /// is gone is declared dead at once instead of after the failure detector's missed probes. Off by default, and
    /// switched on by this setting rather than by the presence of <c>POD_NAMESPACE</c>: the hosting needs a service
    /// account allowed to read and label pods, and a silo that merely runs in a pod (a test job, a debugging copy)
    /// must not start reconciling, or declaring dead, the members of a cluster it was never meant to watch.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>Where the HTTP port listens, once <see cref="Validate"/> found no problem.</summary>
    public IPEndPoint HttpEndpoint() => new(ListenOnAnyHostAddress ? IPAddress.Any : IPAddress.Parse(HttpAddress), HttpPort);

    /// <summary>The advertised address, once <see cref="Validate"/> found no problem (a method: validation reads every property).</summary>
    public IPAddress AdvertisedAddress() => IPAddress.Parse(AdvertisedIP);

    /// <summary>
    /// Loopback, RFC 1918 or RFC 6598's shared address space 100.64.0.0/10 (IPv4), or unique local (RFC 4193, IPv6);
    /// never "any" or a public address. The shared space is here because pod networks use it (secondary pod ranges of
    /// managed Kubernetes, where the 10/8 range is taken by the data centre): like RFC 1918 it is never routed on the
    /// Internet, so a pod's address there is as private as any other.
    /// </summary>
    public static bool IsLoopbackOrPrivate(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.IsIPv6UniqueLocal)
        {
            return true;
        }

        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 && (bytes[0] == 10
            || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31)
            || (bytes[0] == 192 && bytes[1] == 168)
            || (bytes[0] == 100 && bytes[1] is >= 64 and <= 127));
    }

    /// <summary>One message per unusable setting, naming its configuration key; checked when the silo starts.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength)
        {
            yield return new($"{Section}:{nameof(Name)} must be given and at most {MaxNameLength} characters, e.g. silo-dc1-01.", [nameof(Name)]);
        }

        if (SiloPort is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            yield return new($"{Section}:{nameof(SiloPort)} must be a port between 1 and 65535, e.g. 11111.", [nameof(SiloPort)]);
        }

        if (GatewayPort is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            yield return new($"{Section}:{nameof(GatewayPort)} must be a port between 1 and 65535, e.g. 30000.", [nameof(GatewayPort)]);
        }
        else if (GatewayPort == SiloPort)
        {
            // Both listeners bind the same address, so the second would fail with an error that names no setting.
            yield return new($"{Section}:{nameof(GatewayPort)} must differ from {Section}:{nameof(SiloPort)}.", [nameof(GatewayPort)]);
        }

        if (HttpPort is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            yield return new($"{Section}:{nameof(HttpPort)} must be a port between 1 and 65535, e.g. 8081.", [nameof(HttpPort)]);
        }

        if (!IPAddress.TryParse(HttpAddress, out var http) || !IsLoopbackOrPrivate(http))
        {
            yield return new(
                $"{Section}:{nameof(HttpAddress)} must be a loopback or private IP address (127.0.0.1, 10.x, 172.16-31.x, 192.168.x, 100.64-127.x, fc00::/7), " +
                "e.g. the host's address on the operators' network: health and the dashboard answer there.",
                [nameof(HttpAddress)]);
        }

        if (!IPAddress.TryParse(AdvertisedIP, out var advertised))
        {
            yield return new($"{Section}:{nameof(AdvertisedIP)} must be an IP address other silos and clients reach this silo at, e.g. 10.20.0.11.", [nameof(AdvertisedIP)]);
        }
        else if (Kubernetes && IPAddress.IsLoopback(advertised))
        {
            // The default suits one machine; in a pod it would send every other silo and client to itself.
            yield return new(
                $"{Section}:{nameof(AdvertisedIP)} must be the pod's IP address when {Section}:{nameof(Kubernetes)} is true " +
                "(Silo__AdvertisedIP=$(POD_IP), with POD_IP from the downward API's status.podIP).",
                [nameof(AdvertisedIP)]);
        }

        if (Kubernetes && !ListenOnAnyHostAddress && IPAddress.TryParse(HttpAddress, out var probed) && IPAddress.IsLoopback(probed))
        {
            // The kubelet's probes come to the pod's address: on loopback the silo would never be ready, and be restarted.
            yield return new(
                $"{Section}:{nameof(HttpAddress)} must be the pod's IP address when {Section}:{nameof(Kubernetes)} is true " +
                "(Silo__HttpAddress=$(POD_IP)): the kubelet's health probes come there.",
                [nameof(HttpAddress)]);
        }
    }
}
