import WSCommand

await RootCommand.main()
