"""Playing: the engine, validation by playing the playtests, the bundled stories, the room's votes, and the learner's record with its exports."""
