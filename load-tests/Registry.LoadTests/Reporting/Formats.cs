using System.Globalization;

namespace Registry.LoadTests.Reporting;

/// <summary>Number formats shared by the console summary and the report; invariant, so reports diff cleanly.</summary>
internal static class Formats
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture);

    public static string Millis(double micros) => (micros / 1000).ToString("N2", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture) + " s";

    public static string Percent(double share) => (share * 100).ToString("N2", CultureInfo.InvariantCulture) + " %";

    public static string GiB(long bytes) => (bytes / 1024d / 1024 / 1024).ToString("N1", CultureInfo.InvariantCulture) + " GiB";
}
