using System.Runtime.CompilerServices;

// The schema tests run the migrator with their own migration lists.
[assembly: InternalsVisibleTo("CutoverEngine.Engine.Tests")]
