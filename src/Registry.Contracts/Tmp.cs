namespace Registry; internal static class PlaceholderContracts {}
