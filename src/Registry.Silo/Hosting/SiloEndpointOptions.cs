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

    /// <summary>Listen on every interface rather than only the advertised address (containers, NAT).</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>The advertised address, once <see cref="Validate"/> found no problem (a method: validation reads every property).</summary>
    public IPAddress AdvertisedAddress() => IPAddress.Parse(AdvertisedIP);

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

        if (!IPAddress.TryParse(AdvertisedIP, out _))
        {
            yield return new($"{Section}:{nameof(AdvertisedIP)} must be an IP address other silos and clients reach this silo at, e.g. 10.20.0.11.", [nameof(AdvertisedIP)]);
        }
    }
}
