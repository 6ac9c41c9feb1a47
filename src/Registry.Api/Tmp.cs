namespace Registry; internal static class PlaceholderApi {}
