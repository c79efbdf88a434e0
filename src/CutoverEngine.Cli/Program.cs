return await CutoverEngine.Cli.CutoverCommand.RunAsync(args);
