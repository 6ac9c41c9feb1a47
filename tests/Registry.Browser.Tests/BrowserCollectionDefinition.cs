namespace Registry.Browser.Tests;

/// <summary>The browser tests share one <see cref="BrowserCluster"/>: starting it takes most of their time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollectionDefinition : ICollectionFixture<BrowserCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "browser";
}
