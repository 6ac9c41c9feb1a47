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

    /// <summary>Name shown on the dashboard and in the membership table.</summary>
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

    /// <summary>Where the HTTP port listens, once <see cref="Validate"/> found no problem.</summary>
    public IPEndPoint HttpEndpoint() => new(ListenOnAnyHostAddress ? IPAddress.Any : IPAddress.Parse(HttpAddress), HttpPort);

    /// <summary>The advertised address, once <see cref="Validate"/> found no problem (a method: validation reads every property).</summary>
    public IPAddress AdvertisedAddress() => IPAddress.Parse(AdvertisedIP);

    /// <summary>Loopback, RFC 1918 (IPv4) or unique local (RFC 4193, IPv6); never "any" or a public address.</summary>
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
        return bytes.Length == 4 && (bytes[0] == 10 || (bytes[0] == 172 && bytes[1] is >= 16 and <= 31) || (bytes[0] == 192 && bytes[1] == 168));
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
                $"{Section}:{nameof(HttpAddress)} must be a loopback or private IP address (127.0.0.1, 10.x, 172.16-31.x, 192.168.x, fc00::/7), " +
                "e.g. the host's address on the operators' network: health and the dashboard answer there.",
                [nameof(HttpAddress)]);
        }

        if (!IPAddress.TryParse(AdvertisedIP, out _))
        {
            yield return new($"{Section}:{nameof(AdvertisedIP)} must be an IP address other silos and clients reach this silo at, e.g. 10.20.0.11.", [nameof(AdvertisedIP)]);
        }
    }
}
