
namespace Registry.Domain;

/// <summary>Dates as the registry's users see them: Vietnam keeps UTC+7 all year, with no daylight saving.</summary>
public static class VietnamCalendar
{
    /// <summary>Vietnam's offset from UTC.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>Today's date in Vietnam.</summary>
    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Offset).DateTime);
    }

    /// <summary>The instant <paramref name="day"/> begins in Vietnam.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);
}
