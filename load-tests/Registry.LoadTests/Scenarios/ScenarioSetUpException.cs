namespace Registry.LoadTests.Scenarios;

/// <summary>A scenario could not prepare its run (e.g. no resident could be registered for the read pool).</summary>
internal sealed class ScenarioSetUpException : Exception
{
    public ScenarioSetUpException()
    {
    }

    public ScenarioSetUpException(string message)
        : base(message)
    {
    }

    public ScenarioSetUpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
