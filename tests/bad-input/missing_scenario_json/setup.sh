rm scenario.json
