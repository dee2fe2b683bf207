using K0sNodeIp.Cli;

return CommandLineApp.Run(args, Console.Out, Console.Error);
