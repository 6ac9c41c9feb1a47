using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Registry.Silo.Hosting;

/// <summary>
/// Where this silo listens, from configuration section <c>Silo</c> (environment <c>Silo__SiloPort</c> …).
/// Several silos on one machine each need their own silo, gateway and HTTP ports.
/// </summary>
public sealed class SiloEndpointOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Silo";

    /// <summary>Name shown on the dashboard and in the membership table.</summary>
    [Required, StringLength(150)]
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Silo-to-silo port (Orleans default 11111).</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients connect to (Orleans default 30000).</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at; loopback for a one-machine cluster.</summary>
    [Required]
    public string AdvertisedIP { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>Listen on every interface rather than only the advertised address (containers, NAT).</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>The parsed advertised address.</summary>
    public IPAddress ParseAdvertisedIP() =>
        IPAddress.TryParse(AdvertisedIP, out var address)
            ? address
            : throw new InvalidOperationException($"Configuration '{Section}:AdvertisedIP' is not an IP address: '{AdvertisedIP}'.");
}
