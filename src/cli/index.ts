console.log('tessera')
